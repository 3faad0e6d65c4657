// One tenant ready for the machine API, seeded straight into the database (migrated first):
// an owner, a sealed Twilio credential (and a webhook secret when given), an integration
// allowing send_sms from its own number, and an API key with a client key pair. Used by the
// CLI beside it (the several-instances e2e test) and by the proxy benchmark. Import it
// dynamically after setting DATABASE_URL: the database module reads its settings once.
import { ensureMigrated, getDb } from "@/db";
import { tenants } from "@/db/schema";
import { createApiKey } from "@/lib/features/api-keys/service";
import { createIntegration } from "@/lib/features/integrations/service";
import { sealCredential } from "@/lib/features/vault/service";
import { newId } from "@/lib/shared/ids";
import { generateClientKeyPair } from "@/lib/shared/sdk/index";
import { benchOwner } from "@/tools/bench/bench-server";

export async function seedProxyTenant(options: {
  account: string;
  token: string;
  webhookSecret?: string;
  sendsPerDestination?: number;
  scopes: ("proxy" | "audit:read")[];
}) {
  await ensureMigrated();
  const tenantId = newId("tenant");
  await getDb().insert(tenants).values({ id: tenantId, name: "Seeded" });
  const acting = await benchOwner(tenantId);
  const credential = await sealCredential(acting, {
    type: "basic_auth",
    name: "twilio",
    values: { username: options.account, password: options.token },
  });
  const webhookSecret = options.webhookSecret
    ? await sealCredential(acting, {
        type: "webhook_secret",
        name: "webhooks",
        values: { secret: options.webhookSecret },
      })
    : null;
  const integration = await createIntegration(acting, {
    name: "seeded",
    system_type: "twilio",
    credential_id: credential.id,
    webhook_credential_id: webhookSecret?.id ?? null,
    allowed_operations: ["send_sms"],
    allowed_countries: ["US"],
    default_from: "+15005550006",
    // The per-key token bucket is set high enough not to refuse (it is still checked).
    sends_per_destination: options.sendsPerDestination ?? 3,
    checks_per_destination: 5,
    destination_window_seconds: 600,
    key_burst: 1_000_000,
    key_rate_per_second: 100_000,
    enabled: true,
  });
  const pair = generateClientKeyPair();
  const key = await createApiKey(acting, {
    name: "seeded",
    environment: "test",
    scopes: options.scopes,
    clientPublicKey: pair.publicKey,
  });
  return { tenantId, integrationId: integration.id, key, pair };
}
