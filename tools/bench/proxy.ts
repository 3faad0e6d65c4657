// npm run bench:proxy: the production build on real PostgreSQL, the Twilio double on loopback,
// autocannon with 32 connections of send_sms through POST /api/v2/proxy/outbound for 20 s;
// then the same load straight to the double with the twilio SDK. Prints figures, asserts nothing.
//   npm run bench:proxy [-- --duration 20 --connections 32]
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import {
  benchOwner,
  figuresLine,
  figuresOf,
  frameworkFloor,
  freshDatabase,
  startProductionServer,
  waitFor,
  type LoadFigures,
} from "@/tools/bench/bench-server";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const DURATION = arg("duration", 20);
const CONNECTIONS = arg("connections", 32);
const APP_PORT = 3300;
const DOUBLE_PORT = 3399;
const DOUBLE_URL = `http://127.0.0.1:${DOUBLE_PORT}`;
const BENCH_DB = "pqseal_proxy_bench";
const DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${BENCH_DB}`;
const ACCOUNT = `AC${"7a".repeat(16)}`;
const TOKEN = "benchAuthTokenValue0000000000001";
const MASTER_KEY = randomBytes(32).toString("base64");

Object.assign(process.env, {
  DATABASE_URL,
  PQSEAL_MASTER_KEY: MASTER_KEY,
  LOG_LEVEL: "silent",
  TWILIO_API_BASE_URL: DOUBLE_URL,
  TWILIO_VERIFY_BASE_URL: DOUBLE_URL,
});

const children: ChildProcess[] = [];
function start(command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  return child;
}
async function seed() {
  await freshDatabase(BENCH_DB);
  const { ensureMigrated, getDb } = await import("@/db");
  const { tenants } = await import("@/db/schema");
  const { newId } = await import("@/lib/shared/ids");
  const { sealCredential } = await import("@/lib/features/vault/service");
  const { createIntegration } = await import("@/lib/features/integrations/service");
  const { createApiKey } = await import("@/lib/features/api-keys/service");
  const { currentTenantKey } = await import("@/lib/platform/keys/tenant-keys");
  const { generateClientKeyPair } = await import("@/lib/shared/sdk");
  await ensureMigrated();
  const tenantId = newId("tenant");
  await getDb().insert(tenants).values({ id: tenantId, name: "Bench" });
  const acting = await benchOwner(tenantId);
  const credential = await sealCredential(acting, {
    type: "basic_auth",
    name: "bench",
    values: { username: ACCOUNT, password: TOKEN },
  });
  const integration = await createIntegration(acting, {
    name: "bench",
    system_type: "twilio",
    credential_id: credential.id,
    allowed_operations: ["send_sms"],
    allowed_countries: ["US"],
    default_from: "+15005550006",
    // Default per-destination limit; the load spreads over a million numbers. The per-key
    // token bucket is set high enough not to refuse (it is still checked on every request).
    sends_per_destination: 3,
    checks_per_destination: 5,
    destination_window_seconds: 600,
    key_burst: 1_000_000,
    key_rate_per_second: 100_000,
    enabled: true,
  });
  const pair = generateClientKeyPair();
  const key = await createApiKey(acting, {
    name: "bench",
    environment: "test",
    scopes: ["proxy"],
    clientPublicKey: pair.publicKey,
  });
  const signing = await currentTenantKey(tenantId, "signing");
  return { tenantId, integrationId: integration.id, key, pair, signing };
}

/** A valid US number: 415, an exchange 200-999, any line. */
const randomUsNumber = () =>
  `+1415${200 + Math.floor(Math.random() * 800)}${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`;

async function directWithSdk(): Promise<LoadFigures> {
  const { twilioClientFor } = await import("@/lib/features/proxy/twilio-client");
  const client = twilioClientFor({
    type: "basic_auth",
    values: { username: ACCOUNT, password: TOKEN },
  });
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + DURATION * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        const t = performance.now();
        try {
          await client.messages.create({ to: "+14155550123", from: "+15005550006", body: "bench" });
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.floor(q * (latencies.length - 1))] ?? 0;
  return {
    rps: latencies.length / DURATION,
    p50: at(0.5),
    p99: at(0.99),
    errors,
    total: latencies.length,
  };
}

async function main() {
  start(
    process.execPath,
    ["--import", "tsx", "tools/twilio-double/cli.ts", "--port", String(DOUBLE_PORT)],
    {
      TWILIO_DOUBLE_ACCOUNTS: `${ACCOUNT}:${TOKEN}`,
    },
  );
  await waitFor(`${DOUBLE_URL}/__control/health`);
  const { tenantId, integrationId, key, pair, signing } = await seed();
  // --profile writes a CPU profile of the server to .data/profiles/ when it stops.
  const profile = process.argv.includes("--profile")
    ? ["--cpu-prof", "--cpu-prof-dir=.data/profiles"]
    : [];
  children.push(
    startProductionServer(
      APP_PORT,
      { AUTH_SECRET: "bench-only-secret-0123456789-0123456789", NODE_ENV: "production" },
      profile,
    ),
  );
  await waitFor(`http://127.0.0.1:${APP_PORT}/api/health`);

  const url = `http://127.0.0.1:${APP_PORT}/api/v2/proxy/outbound`;
  const headers = { "content-type": "application/json", "x-api-key": key.key };
  const body = JSON.stringify({
    integration_id: integrationId,
    operation: "send_sms",
    payload: { to: "+14155550123", body: "bench" },
  });
  // One checked request first: the answer must verify and decrypt with the SDK.
  const { createClient } = await import("@/lib/shared/sdk");
  const sdk = createClient({
    baseUrl: `http://127.0.0.1:${APP_PORT}`,
    tenantId,
    apiKey: key.key,
    clientKeyId: key.clientKeyId ?? "",
    clientSecretKey: pair.secretKey,
    signingPublicKeys: { [signing.id]: signing.publicKey },
  });
  const check = await sdk.proxy.outbound({
    integration_id: integrationId,
    operation: "send_sms",
    payload: { to: "+14155550123", body: "check" },
  });
  if (!check.success) throw new Error(`sanity request failed: ${JSON.stringify(check.result)}`);

  // Warm-up, then the measured run. Each request goes to another random US number.
  const requests: autocannon.Request[] = [
    {
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({
          integration_id: integrationId,
          operation: "send_sms",
          payload: {
            to: randomUsNumber(),
            body: "bench",
          },
        }),
      }),
    },
  ];
  const load = (duration: number) =>
    autocannon({
      url,
      method: "POST",
      headers,
      body,
      requests,
      connections: CONNECTIONS,
      duration,
    });
  await load(3);
  const result = await load(DURATION);
  const proxy = { ...figuresOf(result), errors: figuresOf(result).errors + result.non2xx };
  // The same route without X-API-Key: answered 401 before any database or crypto work.
  const floor = await frameworkFloor(url, CONNECTIONS, DURATION);
  const direct = await directWithSdk();
  console.log(`\n${CONNECTIONS} connections, ${DURATION} s, send_sms, ${process.version}`);
  console.log(figuresLine("through the proxy", proxy));
  console.log(figuresLine("same route, refused at once (401)", floor));
  console.log(figuresLine("straight to the double (SDK)", direct));
  console.log(`proxy / direct throughput: ${(proxy.rps / direct.rps).toFixed(2)}`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const c of children) c.kill("SIGTERM");
    setTimeout(() => process.exit(), 500);
  });
