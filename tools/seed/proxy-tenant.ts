// Seeds DATABASE_URL (migrated first) with one tenant ready for the machine API: an owner, a
// sealed Twilio credential and webhook secret, an integration allowing send_sms from its own
// number, and a proxy API key with a client key pair. Prints what a client needs as JSON.
//   npx tsx --conditions=react-server tools/seed/proxy-tenant.ts \
//     --account AC… --token … --webhook-secret … [--sends-per-destination 3]
// Used by the several-instances e2e test; the benchmarks seed the same way.
import { ensureMigrated, getDb, getDbHandle } from "@/db";
import { memberships, tenants, users } from "@/db/schema";
import { createApiKey } from "@/lib/features/api-keys/service";
import { createIntegration } from "@/lib/features/integrations/service";
import { sealCredential } from "@/lib/features/vault/service";
import { NO_REQUEST } from "@/lib/platform/http/request-meta";
import { newId } from "@/lib/shared/ids";
import { generateClientKeyPair } from "@/lib/shared/sdk";

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

const SEEDED_SENDER = "+15005550006";

async function main() {
  await ensureMigrated();
  const tenantId = newId("tenant");
  const userId = newId("user");
  const email = `${userId}@seed.test`;
  await getDb().insert(tenants).values({ id: tenantId, name: "Seeded" });
  await getDb().insert(users).values({ id: userId, email, name: "seed", passwordHash: "x" });
  await getDb()
    .insert(memberships)
    .values({ id: newId("membership"), tenantId, userId, role: "owner" });
  const acting = {
    tenantId,
    userId,
    role: "owner" as const,
    actor: { type: "user" as const, id: userId, label: email },
    meta: NO_REQUEST,
  };
  const credential = await sealCredential(acting, {
    type: "basic_auth",
    name: "twilio",
    values: { username: arg("account"), password: arg("token") },
  });
  const webhookSecret = await sealCredential(acting, {
    type: "webhook_secret",
    name: "webhooks",
    values: { secret: arg("webhook-secret") },
  });
  const integration = await createIntegration(acting, {
    name: "seeded",
    system_type: "twilio",
    credential_id: credential.id,
    webhook_credential_id: webhookSecret.id,
    allowed_operations: ["send_sms"],
    allowed_countries: ["US"],
    default_from: SEEDED_SENDER,
    sends_per_destination: Number(arg("sends-per-destination", "3")),
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
    scopes: ["proxy", "audit:read"],
    clientPublicKey: pair.publicKey,
  });
  console.log(
    JSON.stringify({
      tenantId,
      integrationId: integration.id,
      apiKey: key.key,
      clientKeyId: key.clientKeyId,
      clientSecretKey: pair.secretKey,
    }),
  );
  await getDbHandle().close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
