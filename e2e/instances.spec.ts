import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import twilio from "twilio";
import { E2E_TWILIO } from "./helpers";
import { messagesTo, startSeededServers, type SeededServers } from "./seeded-server";

// Two production servers (the self-contained bundle) on one PostgreSQL database, as behind a
// load balancer: what must hold across instances does (the circuit breaker and the key caches
// are per process by design). The tenant is seeded straight into the database.
const PORTS = [0, 1].map((i) => Number(process.env.E2E_PORT ?? 3100) + 300 + i);
const PUBLIC_BASE_URL = "https://pqseal.example.test";
const WEBHOOK_SECRET = "e2eWebhookSigningSecret000000001";

let servers: SeededServers;
let BASES: string[] = [];
let seeded: SeededServers["seeded"];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  servers = await startSeededServers({
    database: "pqseal_e2e_instances",
    ports: PORTS,
    webhookSecret: WEBHOOK_SECRET,
    // One public origin, as a load balancer gives: a webhook signed for it is valid on both.
    env: { PUBLIC_BASE_URL },
  });
  BASES = servers.bases;
  seeded = servers.seeded;
});

test.afterAll(() => servers?.stop());

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

test("an /api/v2 path no route serves is a 404 problem with a request id, not Next's page", async () => {
  const answer = await fetch(`${BASES[0]}/api/v2/integrationz`, {
    headers: { "x-api-key": seeded.apiKey },
  });
  expect(answer.status).toBe(404);
  expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const requestId = answer.headers.get("x-request-id");
  expect(requestId).toMatch(/^req_/);
  expect(await answer.json()).toMatchObject({ code: "not_found", request_id: requestId });
});
