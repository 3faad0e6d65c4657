// npm run bench:proxy: the production build (npm start's server) on real PostgreSQL, the Twilio
// double on loopback. Closed loop: autocannon with 32 connections of send_sms through
// POST /api/v2/proxy/outbound for 20 s, the same route refused at once (the floor), the same
// load straight to the double with the twilio SDK (the ceiling). Open loop: 50, 100, 200 req/s
// offered for 10 s each. Server CPU per request from /proc/<pid>/stat. Prints figures, asserts
// nothing.
//   npm run bench:proxy [-- --duration 20 --connections 32 --rates 50,100,200 --open-duration 10
//                          --profile --instances 1]
// --instances N: N servers on one database, the load spread over them (connections round robin),
// figures summed (req/s, server CPU of all N).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import {
  figuresLine,
  figuresOf,
  frameworkFloor,
  freshDatabase,
  instancesArg,
  numberArg,
  spreadOver,
  monotonicMicros,
  numberListArg,
  openLoop,
  openLoopHeader,
  openLoopLine,
  startInstances,
  stopServer,
  waitFor,
  withServerCpu,
  type LoadFigures,
} from "@/tools/bench/bench-server";
import { PROFILE_ARGS, profileSummary, serverProfile } from "@/tools/bench/profile-summary";

const DURATION = numberArg("duration", 20);
const CONNECTIONS = numberArg("connections", 32);
const RATES = numberListArg("rates", [50, 100, 200]);
const OPEN_DURATION = numberArg("open-duration", 10);
const OPEN_CONNECTIONS = 128;
const PROFILE = process.argv.includes("--profile");
const INSTANCES = instancesArg();
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
  TWILIO_LOOKUP_BASE_URL: DOUBLE_URL,
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
  const { seedProxyTenant } = await import("@/tools/seed/proxy-tenant-seed");
  const { currentTenantKey } = await import("@/lib/platform/keys/tenant-keys");
  // Default per-destination limit; the load spreads over a million numbers.
  const seeded = await seedProxyTenant({ account: ACCOUNT, token: TOKEN, scopes: ["proxy"] });
  const signing = await currentTenantKey(seeded.tenantId, "signing");
  return { ...seeded, signing };
}

/** A valid US number: 415, an exchange 200-999, any line. */
const randomUsNumber = () =>
  `+1415${200 + Math.floor(Math.random() * 800)}${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`;

async function directWithSdk(): Promise<LoadFigures> {
  const { twilioClientFor } = await import("@/lib/features/vault/twilio-client");
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
  const { servers, origins, pids } = await startInstances(
    INSTANCES,
    APP_PORT,
    { AUTH_SECRET: "bench-only-secret-0123456789-0123456789", NODE_ENV: "production" },
    PROFILE ? PROFILE_ARGS : [],
  );
  children.push(...servers);
  const [server] = servers;
  const pid = pids[0] ?? 0;
  const urls = origins.map((origin) => `${origin}/api/v2/proxy/outbound`);
  const headers = { "content-type": "application/json", "x-api-key": key.key };
  const body = JSON.stringify({
    integration_id: integrationId,
    operation: "send_sms",
    payload: { to: "+14155550123", body: "bench" },
  });
  // One checked request first: the answer must verify and decrypt with the SDK.
  const { createClient } = await import("@/lib/shared/sdk/index");
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
  const sendSms = () =>
    JSON.stringify({
      integration_id: integrationId,
      operation: "send_sms",
      payload: { to: randomUsNumber(), body: "bench" },
    });
  const requests: autocannon.Request[] = [{ setupRequest: (req) => ({ ...req, body: sendSms() }) }];
  const load = (duration: number) =>
    autocannon({
      url: spreadOver(urls),
      method: "POST",
      headers,
      body,
      requests,
      connections: CONNECTIONS,
      duration,
      excludeErrorStats: true,
    });
  await load(3);
  const measured = { from: monotonicMicros(), to: 0 };
  const { result, cpuMs } = await withServerCpu(pids, () => load(DURATION));
  measured.to = monotonicMicros();
  const proxy = figuresOf(result, "2xx", cpuMs);
  // The same route without X-API-Key: answered 401 before any database or crypto work.
  const floor = await frameworkFloor(urls, CONNECTIONS, DURATION, pids);
  const open = [];
  for (const rate of RATES) {
    const run = await withServerCpu(pids, () =>
      openLoop({
        url: urls,
        rate,
        duration: OPEN_DURATION,
        connections: OPEN_CONNECTIONS,
        request: () => ({ body: sendSms(), headers }),
      }),
    );
    open.push(openLoopLine(run.result, run.cpuMs));
  }
  const direct = await directWithSdk();
  console.log(
    `\nclosed loop: ${CONNECTIONS} connections, ${DURATION} s, send_sms, ${process.version}${INSTANCES > 1 ? `, ${INSTANCES} instances on one database (req/s and CPU summed)` : ""}; req/s and latency of 2xx answers; server CPU per 2xx answer (floor: per answer)`,
  );
  console.log(figuresLine("through the proxy", proxy));
  console.log(figuresLine("same route, refused at once (401)", floor));
  console.log(figuresLine("straight to the double (SDK)", direct));
  console.log(`proxy / floor throughput:  ${(proxy.rps / floor.rps).toFixed(2)}`);
  console.log(`proxy / direct throughput: ${(proxy.rps / direct.rps).toFixed(2)}`);
  console.log(
    `\nopen loop: send_sms at fixed offered rates, ${OPEN_DURATION} s each, up to ${OPEN_CONNECTIONS} connections; achieved = 2xx/s; latency of 2xx answers from each request's scheduled time; server CPU per 2xx answer`,
  );
  console.log(openLoopHeader());
  for (const line of open) console.log(line);
  if (PROFILE && server) {
    await stopServer(server);
    const { file, profile } = await serverProfile(pid);
    console.log(`\nCPU profile of the server's main thread: ${file}`);
    const window = { ...measured, label: "the closed-loop proxy run" };
    for (const line of profileSummary(profile, window)) console.log(line);
  }
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
