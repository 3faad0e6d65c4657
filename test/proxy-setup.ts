import { NextRequest } from "next/server";
import { POST as outboundRoute } from "@/app/api/v2/proxy/outbound/route";
import { createApiKey } from "@/lib/features/api-keys/service";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { currentTenantKey } from "@/lib/platform/keys/tenant-keys";
import { createIntegration } from "@/lib/features/integrations/service";
import { createClient, generateClientKeyPair } from "@/lib/shared/sdk/index";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { sealCredential } from "@/lib/features/vault/service";

// Shared by the proxy tests: a tenant with a sealed Twilio credential, an integration, an API
// key bound to a client key pair, and an SDK client whose fetch calls the route handler.
export const ACCOUNT = `AC${"1f".repeat(16)}`;
export const TOKEN = "proxyTestAuthTokenValue000000001";
export const KEY_SID = `SK${"2e".repeat(16)}`;
export const KEY_SECRET = "proxyTestApiKeySecret00000000001";
export const VERIFY_SID = `VA${"3d".repeat(16)}`;
export const FROM = "+15005550006";

export async function proxySetup(
  signIn: (user: SessionUser) => void,
  overrides: Partial<Parameters<typeof createIntegration>[1]> = {},
  credential: "basic_auth" | "api_key" = "basic_auth",
) {
  const t = await createTestTenant();
  const u = await createTestUser("proxyadmin");
  await addMember(t.id, u.id, "admin");
  signIn(testSession(u, "ses_x"));
  const ctx = await resolveTenant(t.id, "integrations:write");
  const cred =
    credential === "basic_auth"
      ? await sealCredential(ctx, {
          type: "basic_auth",
          name: "twilio",
          values: { username: ACCOUNT, password: TOKEN },
        })
      : await sealCredential(ctx, {
          type: "api_key",
          name: "twilio key",
          values: { account_sid: ACCOUNT, key_sid: KEY_SID, key_secret: KEY_SECRET },
        });
  const integration = await createIntegration(ctx, {
    name: "main",
    system_type: "twilio",
    credential_id: cred.id,
    allowed_operations: ["send_sms"],
    allowed_countries: ["US"],
    default_from: FROM,
    verify_service_sid: VERIFY_SID,
    sends_per_destination: 3,
    checks_per_destination: 5,
    destination_window_seconds: 600,
    key_burst: 50,
    key_rate_per_second: 50,
    enabled: true,
    ...overrides,
  });
  const pair = generateClientKeyPair();
  const key = await createApiKey(ctx, {
    name: "client",
    environment: "test",
    scopes: ["proxy", "integrations:write", "vault:seal"],
    clientPublicKey: pair.publicKey,
  });
  const signing = await currentTenantKey(t.id, "signing");
  const clientOptions = {
    baseUrl: "http://localhost",
    tenantId: t.id,
    apiKey: key.key,
    clientKeyId: key.clientKeyId ?? "",
    clientSecretKey: pair.secretKey,
    signingPublicKeys: { [signing.id]: signing.publicKey },
    fetch: (async (url: string, init: RequestInit) =>
      outboundRoute(new NextRequest(url, init as never))) as typeof fetch,
  };
  const client = createClient(clientOptions);
  return {
    tenantId: t.id,
    ctx,
    cred,
    integration,
    key: key.key,
    keyId: key.id,
    client,
    /** What `client` was made with, for a test's own client (another fetch, other limits). */
    clientOptions,
  };
}
