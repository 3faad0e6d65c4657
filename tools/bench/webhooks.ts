// npm run bench:webhooks: the production build (npm start's server) on real PostgreSQL.
// Closed loop: autocannon with 50 connections posting signed message-status callbacks (each a
// new message, so every request takes the full path: validate, seal, store, audit) for 20 s,
// then the same route refused at once (the floor). Open loop: 50, 100, 200 callbacks/s offered
// for 10 s each. Server CPU per accepted webhook from /proc/<pid>/stat. Prints figures, asserts
// nothing.
//   npm run bench:webhooks [-- --duration 20 --connections 50 --rates 50,100,200
//                             --open-duration 10 --profile]
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import {
  figuresLine,
  figuresOf,
  frameworkFloor,
  freshDatabase,
  monotonicMicros,
  numberListArg,
  openLoop,
  openLoopHeader,
  openLoopLine,
  startProductionServer,
  stopServer,
  waitFor,
  withServerCpu,
} from "@/tools/bench/bench-server";
import { PROFILE_ARGS, profileSummary, serverProfile } from "@/tools/bench/profile-summary";
import twilio from "twilio";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const DURATION = arg("duration", 20);
const CONNECTIONS = arg("connections", 50);
const RATES = numberListArg("rates", [50, 100, 200]);
const OPEN_DURATION = arg("open-duration", 10);
const OPEN_CONNECTIONS = 128;
const PROFILE = process.argv.includes("--profile");
const APP_PORT = 3310;
const BENCH_DB = "pqseal_webhook_bench";
const SECRET = "benchWebhookSecret00000000000001";

Object.assign(process.env, {
  DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${BENCH_DB}`,
  PQSEAL_MASTER_KEY: randomBytes(32).toString("base64"),
  LOG_LEVEL: "silent",
});

let server: ChildProcess | undefined;
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
  server = startProductionServer(
    APP_PORT,
    { AUTH_SECRET: "bench-only-secret-0123456789-0123456789" },
    PROFILE ? PROFILE_ARGS : [],
  );
  const pid = server.pid ?? 0;
  await waitFor(`http://127.0.0.1:${APP_PORT}/api/health`);
  const url = `http://127.0.0.1:${APP_PORT}/api/v2/webhooks/twilio/${integrationId}/message-status`;
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
      url,
      method: "POST",
      requests,
      connections: CONNECTIONS,
      duration,
      excludeErrorStats: true,
    });
  await run(3);
  const measured = { from: monotonicMicros(), to: 0 };
  const { result, cpuMs } = await withServerCpu(pid, () => run(DURATION));
  measured.to = monotonicMicros();
  const intake = figuresOf(result, "2xx", cpuMs);
  // The same route with an unknown kind: answered 404 before any database or crypto work.
  const floor = await frameworkFloor(
    url.replace(/message-status$/, "unknown"),
    CONNECTIONS,
    DURATION,
    pid,
  );
  const open = [];
  for (const rate of RATES) {
    const o = await withServerCpu(pid, () =>
      openLoop({
        url,
        rate,
        duration: OPEN_DURATION,
        connections: OPEN_CONNECTIONS,
        request: callback,
      }),
    );
    open.push(openLoopLine(o.result, o.cpuMs));
  }
  console.log(
    `\nclosed loop: ${CONNECTIONS} connections, ${DURATION} s, signed message-status callbacks, ${process.version}; req/s and latency of 2xx answers; server CPU per accepted webhook (floor: per answer)`,
  );
  console.log(figuresLine("intake (validate, seal, store, audit)", intake));
  console.log(figuresLine("same route, refused at once (404)", floor));
  console.log(`intake / floor throughput: ${(intake.rps / floor.rps).toFixed(2)}`);
  console.log(
    `\nopen loop: callbacks at fixed offered rates, ${OPEN_DURATION} s each, up to ${OPEN_CONNECTIONS} connections; achieved = accepted/s; latency of 2xx answers from each request's scheduled time; server CPU per accepted webhook`,
  );
  console.log(openLoopHeader());
  for (const line of open) console.log(line);
  if (PROFILE) {
    await stopServer(server);
    const { file, profile } = await serverProfile(pid);
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
    server?.kill("SIGTERM");
    setTimeout(() => process.exit(), 500);
  });
