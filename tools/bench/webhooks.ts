// npm run bench:webhooks: the production build (npm start's server) on real PostgreSQL.
// Closed loop: autocannon with 50 connections posting signed message-status callbacks (each a
// new message, so every request takes the full path: validate, seal, store, audit) for 20 s,
// then the same route refused at once (the floor). Open loop: 50, 100, 200 callbacks/s offered
// for 10 s each. Server CPU per accepted webhook from /proc/<pid>/stat. Prints figures, asserts
// nothing.
//   npm run bench:webhooks [-- --duration 20 --connections 50 --rates 50,100,200
//                             --open-duration 10 --profile --instances 1]
// The servers trust loopback as their proxy and the bench sends X-Forwarded-Host/-Proto, as a
// load balancer would: Twilio signs the public URL, which is then the same on every instance.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import {
  figuresLine,
  figuresOf,
  frameworkFloor,
  freshDatabase,
  instancesArg,
  monotonicMicros,
  numberArg,
  numberListArg,
  openLoop,
  openLoopHeader,
  openLoopLine,
  spreadOver,
  startInstances,
  stopServer,
  withServerCpu,
} from "@/tools/bench/bench-server";
import { PROFILE_ARGS, profileSummary, serverProfile } from "@/tools/bench/profile-summary";
import twilio from "twilio";

const DURATION = numberArg("duration", 20);
const CONNECTIONS = numberArg("connections", 50);
const RATES = numberListArg("rates", [50, 100, 200]);
const OPEN_DURATION = numberArg("open-duration", 10);
const OPEN_CONNECTIONS = 128;
const PROFILE = process.argv.includes("--profile");
const INSTANCES = instancesArg();
const PUBLIC_ORIGIN = "https://hooks.bench.test";
const APP_PORT = 3310;
const BENCH_DB = "pqseal_webhook_bench";
const SECRET = "benchWebhookSecret00000000000001";

Object.assign(process.env, {
  DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${BENCH_DB}`,
  PQSEAL_MASTER_KEY: randomBytes(32).toString("base64"),
  LOG_LEVEL: "silent",
});

let servers: ChildProcess[] = [];
async function seed() {
  await freshDatabase(BENCH_DB);
  const { ensureMigrated, getDb } = await import("@/db");
  const { tenants } = await import("@/db/schema");
  const { newId } = await import("@/lib/shared/ids");
  const { webhookIntegration } = await import("@/test/webhook-setup");
  const { NO_REQUEST } = await import("@/lib/platform/http/request-meta");
  await ensureMigrated();
  const tenantId = newId("tenant");
  await getDb().insert(tenants).values({ id: tenantId, name: "Bench" });
  const acting = {
    tenantId,
    actor: { type: "system" as const, id: null, label: "bench" },
    meta: NO_REQUEST,
  };
  const { integration } = await webhookIntegration(acting, { secret: SECRET });
  return integration.id;
}

async function main() {
  const integrationId = await seed();
  // --profile writes a CPU profile of the server to .data/profiles/ when it stops.
  const started = await startInstances(
    INSTANCES,
    APP_PORT,
    { AUTH_SECRET: "bench-only-secret-0123456789-0123456789", TRUSTED_PROXIES: "loopback" },
    PROFILE ? PROFILE_ARGS : [],
  );
  servers = started.servers;
  const { pids } = started;
  const path = `/api/v2/webhooks/twilio/${integrationId}/message-status`;
  const urls = started.origins.map((origin) => `${origin}${path}`);
  // What Twilio signs: the public URL, the same whichever instance the balancer picks.
  const url = `${PUBLIC_ORIGIN}${path}`;
  const forwarded = {
    "x-forwarded-host": new URL(PUBLIC_ORIGIN).host,
    "x-forwarded-proto": "https",
  };
  let n = 0;
  /** A signed callback about a new message. */
  const callback = () => {
    const params = {
      MessageSid: `SM${randomBytes(16).toString("hex")}`,
      MessageStatus: "delivered",
      To: "+14155550123",
      AccountSid: `AC${"7a".repeat(16)}`,
      N: String(n++),
    };
    return {
      body: new URLSearchParams(params).toString(),
      headers: {
        ...forwarded,
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": twilio.getExpectedTwilioSignature(SECRET, url, params),
      },
    };
  };
  const requests: autocannon.Request[] = [
    {
      setupRequest: (req) => {
        const { body, headers } = callback();
        return { ...req, body, headers: { ...req.headers, ...headers } };
      },
    },
  ];
  const run = (duration: number) =>
    autocannon({
      url: spreadOver(urls),
      method: "POST",
      requests,
      connections: CONNECTIONS,
      duration,
      excludeErrorStats: true,
    });
  await run(3);
  const measured = { from: monotonicMicros(), to: 0 };
  const { result, cpuMs } = await withServerCpu(pids, () => run(DURATION));
  measured.to = monotonicMicros();
  const intake = figuresOf(result, "2xx", cpuMs);
  // The same route with an unknown kind: answered 404 before any database or crypto work.
  const floor = await frameworkFloor(
    urls.map((u) => u.replace(/message-status$/, "unknown")),
    CONNECTIONS,
    DURATION,
    pids,
  );
  const open = [];
  for (const rate of RATES) {
    const o = await withServerCpu(pids, () =>
      openLoop({
        url: urls,
        rate,
        duration: OPEN_DURATION,
        connections: OPEN_CONNECTIONS,
        request: callback,
      }),
    );
    open.push(openLoopLine(o.result, o.cpuMs));
  }
  console.log(
    `\nclosed loop: ${CONNECTIONS} connections, ${DURATION} s, signed message-status callbacks, ${process.version}${INSTANCES > 1 ? `, ${INSTANCES} instances on one database (req/s and CPU summed)` : ""}; req/s and latency of 2xx answers; server CPU per accepted webhook (floor: per answer)`,
  );
  console.log(figuresLine("intake (validate, seal, store, audit)", intake));
  console.log(figuresLine("same route, refused at once (404)", floor));
  console.log(`intake / floor throughput: ${(intake.rps / floor.rps).toFixed(2)}`);
  console.log(
    `\nopen loop: callbacks at fixed offered rates, ${OPEN_DURATION} s each, up to ${OPEN_CONNECTIONS} connections; achieved = accepted/s; latency of 2xx answers from each request's scheduled time; server CPU per accepted webhook`,
  );
  console.log(openLoopHeader());
  for (const line of open) console.log(line);
  const [server] = servers;
  if (PROFILE && server) {
    await stopServer(server);
    const { file, profile } = await serverProfile(pids[0] ?? 0);
    console.log(`\nCPU profile of the server's main thread: ${file}`);
    const window = { ...measured, label: "the closed-loop intake run" };
    for (const line of profileSummary(profile, window)) console.log(line);
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const s of servers) s.kill("SIGTERM");
    setTimeout(() => process.exit(), 500);
  });
