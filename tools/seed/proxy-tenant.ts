// Seeds DATABASE_URL with one tenant ready for the machine API (proxy-tenant-seed.ts) and
// prints what a client needs as JSON.
//   npx tsx --conditions=react-server tools/seed/proxy-tenant.ts \
//     --account AC… --token … --webhook-secret … [--sends-per-destination 3]
// Used by the several-instances e2e test.
import { getDbHandle } from "@/db";
import { seedProxyTenant } from "./proxy-tenant-seed";

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

async function main() {
  const seeded = await seedProxyTenant({
    account: arg("account"),
    token: arg("token"),
    webhookSecret: arg("webhook-secret"),
    sendsPerDestination: Number(arg("sends-per-destination", "3")),
    scopes: ["proxy", "audit:read"],
  });
  console.log(
    JSON.stringify({
      tenantId: seeded.tenantId,
      integrationId: seeded.integrationId,
      apiKey: seeded.key.key,
      clientKeyId: seeded.key.clientKeyId,
      clientSecretKey: seeded.pair.secretKey,
    }),
  );
  await getDbHandle().close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
