// npm run bench:webhooks: the production build on real PostgreSQL; autocannon with 50
// connections posting signed message-status callbacks (each a new message, so every request
// takes the full path: validate, seal, store, audit) for 20 s. Prints figures, asserts nothing.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import {
  figuresLine,
  figuresOf,
  frameworkFloor,
  freshDatabase,
  startProductionServer,
  waitFor,
} from "@/tools/bench/bench-server";
import twilio from "twilio";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const DURATION = arg("duration", 20);
const CONNECTIONS = arg("connections", 50);
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
  const profile = process.argv.includes("--profile")
    ? ["--cpu-prof", "--cpu-prof-dir=.data/profiles"]
    : [];
  server = startProductionServer(
    APP_PORT,
    { AUTH_SECRET: "bench-only-secret-0123456789-0123456789" },
    profile,
  );
  await waitFor(`http://127.0.0.1:${APP_PORT}/api/health`);
  const url = `http://127.0.0.1:${APP_PORT}/api/v2/webhooks/twilio/${integrationId}/message-status`;
  let n = 0;
  const requests: autocannon.Request[] = [
    {
      setupRequest: (req) => {
        const params = {
          MessageSid: `SM${randomBytes(16).toString("hex")}`,
          MessageStatus: "delivered",
          To: "+14155550123",
          AccountSid: `AC${"7a".repeat(16)}`,
          N: String(n++),
        };
        return {
          ...req,
          body: new URLSearchParams(params).toString(),
          headers: {
            ...req.headers,
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": twilio.getExpectedTwilioSignature(SECRET, url, params),
          },
        };
      },
    },
  ];
  const run = (duration: number) =>
    autocannon({ url, method: "POST", requests, connections: CONNECTIONS, duration });
  await run(3);
  const r = await run(DURATION);
  // The same route with an unknown kind: answered 404 before any database or crypto work.
  const floor = await frameworkFloor(
    url.replace(/message-status$/, "unknown"),
    CONNECTIONS,
    DURATION,
  );
  console.log(`\n${CONNECTIONS} connections, ${DURATION} s, signed message-status callbacks`);
  console.log(
    figuresLine("intake (validate, seal, store, audit)", {
      ...figuresOf(r),
      errors: r.errors + r.timeouts + r.non2xx,
    }),
  );
  console.log(figuresLine("same route, refused at once (404)", floor));
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
