import { createIntegration } from "@/lib/features/integrations/service";
import { sealCredential } from "@/lib/features/vault/service";
import type { Acting } from "@/lib/platform/request-context/acting";
import { INTEGRATION_LIMIT_DEFAULTS } from "@/lib/shared/integration-limits";

/**
 * Shared by the webhook tests and the webhook benchmark: a sealed Twilio credential, a sealed
 * webhook signing secret, and an integration that uses both (optionally forwarding).
 */
export async function webhookIntegration(
  acting: Acting,
  options: { secret: string; forwardUrl?: string; graceSeconds?: number },
) {
  const twilioCred = await sealCredential(acting, {
    type: "basic_auth",
    name: "twilio",
    values: { username: `AC${"9a".repeat(16)}`, password: "token" },
  });
  const hookCred = await sealCredential(acting, {
    type: "webhook_secret",
    name: "hooks",
    values: { secret: options.secret },
    graceSeconds: options.graceSeconds ?? 3600,
  });
  const integration = await createIntegration(acting, {
    name: "hooks",
    system_type: "twilio",
    credential_id: twilioCred.id,
    webhook_credential_id: hookCred.id,
    allowed_operations: [],
    allowed_countries: [],
    ...INTEGRATION_LIMIT_DEFAULTS,
    enabled: true,
    ...(options.forwardUrl ? { forward_url: options.forwardUrl } : {}),
  });
  return { integration, hookCred };
}
