import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import twilio from "twilio";
import { DOUBLE_URL, E2E_TWILIO } from "./helpers";

// Two production servers (the self-contained bundle) on one PostgreSQL database, as behind a
// load balancer: what must hold across instances does (the circuit breaker and the key caches
// are per process by design). The tenant is seeded straight into the database.
const PORTS = [0, 1].map((i) => Number(process.env.E2E_PORT ?? 3100) + 300 + i);
const BASES = PORTS.map((port) => `http://127.0.0.1:${port}`);
const DATABASE = "pqseal_e2e_instances";
const DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${DATABASE}`;
const PUBLIC_BASE_URL = "https://pqseal.example.test";
const WEBHOOK_SECRET = "e2eWebhookSigningSecret000000001";
const env = {
  PATH: process.env.PATH ?? "",
  NODE_ENV: "production" as const,
  HOSTNAME: "127.0.0.1",
  DATABASE_URL,
  PQSEAL_MASTER_KEY: randomBytes(32).toString("base64"),
  AUTH_SECRET: "e2e-only-secret-not-for-production-use-0123456789",
  // One public origin, as a load balancer gives: a webhook signed for it is valid on both.
  PUBLIC_BASE_URL,
  TWILIO_API_BASE_URL: DOUBLE_URL,
  TWILIO_VERIFY_BASE_URL: DOUBLE_URL,
  TWILIO_LOOKUP_BASE_URL: DOUBLE_URL,
  PQSEAL_JOBS: "off",
  LOG_LEVEL: "warn",
};

let seeded: { integrationId: string; apiKey: string };
let folder = "";
const servers: ChildProcess[] = [];

const psql = (sql: string) => {
  const run = spawnSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", sql]);
  if (run.status !== 0) throw new Error(`psql: ${run.stderr.toString()}`);
};

test.beforeAll(async () => {
  test.setTimeout(180_000);
  psql(`drop database if exists ${DATABASE} with (force)`);
  psql(`create database ${DATABASE}`);
  const seed = spawnSync(
    "npx",
    [
      "tsx",
      "--conditions=react-server",
      "tools/seed/proxy-tenant.ts",
      "--account",
      E2E_TWILIO.accountSid,
      "--token",
      E2E_TWILIO.authToken,
      "--webhook-secret",
      WEBHOOK_SECRET,
    ],
    { env: { ...env, LOG_LEVEL: "silent" }, encoding: "utf8" },
  );
  if (seed.status !== 0) throw new Error(`seed failed: ${seed.stderr}`);
  seeded = JSON.parse(seed.stdout.trim().split("\n").at(-1) ?? "{}") as typeof seeded;
  folder = mkdtempSync(path.join(tmpdir(), "pqseal-instances-"));
  for (const [i, port] of PORTS.entries()) {
    servers.push(
      spawn(process.execPath, [".next/standalone/server.js"], {
        env: { ...env, PORT: String(port), PQSEAL_DATA_DIR: path.join(folder, `i${i}`) },
        stdio: ["ignore", "ignore", "inherit"],
      }),
    );
  }
  const deadline = Date.now() + 120_000;
  for (const base of BASES) {
    while ((await fetch(`${base}/api/health/ready`).catch(() => null))?.status !== 200) {
      if (Date.now() > deadline) throw new Error(`${base} did not become ready`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
});

test.afterAll(() => {
  for (const server of servers) server.kill("SIGTERM");
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const send = (base: string, to: string, idempotencyKey?: string) =>
  fetch(`${base}/api/v2/proxy/outbound`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-api-key": seeded.apiKey,
      ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
    },
    body: JSON.stringify({
      integration_id: seeded.integrationId,
      operation: "send_sms",
      payload: { to, body: "hello" },
    }),
  });

async function messagesTo(to: string): Promise<number> {
  const answer = (await (await fetch(`${DOUBLE_URL}/__control/requests`)).json()) as {
    requests: { path: string; params: Record<string, string> }[];
  };
  return answer.requests.filter((r) => r.path.endsWith("/Messages.json") && r.params.To === to)
    .length;
}

test("one Idempotency-Key sent to both instances at once reaches Twilio once", async () => {
  const to = "+14155550161";
  const key = `both-${randomBytes(6).toString("hex")}`;
  const answers = await Promise.all(BASES.map((base) => send(base, to, key)));
  const statuses = answers.map((a) => a.status).sort();
  // The first holds the key; the other replays its answer or is told it is still running.
  expect([
    [200, 200],
    [200, 409],
  ]).toContainEqual(statuses);
  expect(await messagesTo(to)).toBe(1);
});

test("the per-destination limit counts sends on both instances", async () => {
  const to = "+14155550162";
  const statuses: number[] = [];
  for (const base of [BASES[0], BASES[1], BASES[0], BASES[1]]) {
    statuses.push((await send(base ?? "", to)).status);
  }
  expect(statuses).toEqual([200, 200, 200, 429]);
  expect(await messagesTo(to)).toBe(3);
});

test("a webhook delivered to both instances is stored and audited once", async () => {
  const hookPath = `/api/v2/webhooks/twilio/${seeded.integrationId}/message-status`;
  const params = {
    MessageSid: `SM${randomBytes(16).toString("hex")}`,
    MessageStatus: "delivered",
    AccountSid: E2E_TWILIO.accountSid,
  };
  const signature = twilio.getExpectedTwilioSignature(
    WEBHOOK_SECRET,
    `${PUBLIC_BASE_URL}${hookPath}`,
    params,
  );
  const answers = await Promise.all(
    BASES.map((base) =>
      fetch(`${base}${hookPath}`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": signature,
        },
        body: new URLSearchParams(params).toString(),
      }),
    ),
  );
  expect(answers.map((a) => a.status)).toEqual([200, 200]);
  const events = (await (
    await fetch(`${BASES[0]}/api/v2/audit/events?action=webhook.received`, {
      headers: { "x-api-key": seeded.apiKey },
    })
  ).json()) as { events: { details: { twilio_sid: string | null } }[] };
  expect(events.events.filter((e) => e.details.twilio_sid === params.MessageSid)).toHaveLength(1);
});
