import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import twilio from "twilio";
import type * as Undici from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET, POST } from "@/app/api/v2/webhooks/twilio/[integrationId]/[kind]/route";
import { getDb } from "@/db";
import {
  auditEvents,
  integrations,
  proxiedMessages,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEvents,
} from "@/db/schema";
import { createApiKey } from "@/lib/features/api-keys/service";
import { verifyChain } from "@/lib/features/audit/verify-chain";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { currentTenantKey } from "@/lib/platform/keys/tenant-keys";
import { createClient, generateClientKeyPair } from "@/lib/shared/sdk/index";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { webhookIntegration } from "@/test/webhook-setup";
import { rotateCredential } from "@/lib/features/vault/service";
import { claimDue, configureForwarding, processDueDeliveries, replayDeliveries } from "./forward";
import {
  signCheckpoint,
  verifyCheckpoint,
  type SignedCheckpoint,
} from "@/lib/features/audit/checkpoints";
import { updateCheckpointForwarding } from "@/lib/features/settings/service";

vi.hoisted(() => {
  process.env.PQSEAL_DEPLOYMENT_MODE = "development";
});
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

// The forwarder's fetch, with hooks just before the request and just after the answer: where a
// shutdown can begin, deterministically.
const aroundFetch = vi.hoisted(() => ({ before: () => {}, after: () => {} }));
vi.mock("undici", async (importOriginal) => {
  const undici = await importOriginal<typeof Undici>();
  return {
    ...undici,
    fetch: async (...args: Parameters<typeof undici.fetch>) => {
      aroundFetch.before();
      const response = await undici.fetch(...args);
      aroundFetch.after();
      return response;
    },
  };
});

const SECRET = "webhookAuthTokenFixture000000001";
const FROM = "+14155550166";

// A forward receiver that de-duplicates by event id, as receivers are told to.
let receiver: Server;
let receiverUrl = "";
let receiverStatus = 200;
const seen = new Map<string, number>();
const bodies: { eventId: string; body: string }[] = [];
beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const id = String(req.headers["x-pqseal-event-id"]);
      if (receiverStatus === 200) {
        seen.set(id, (seen.get(id) ?? 0) + 1);
        bodies.push({ eventId: id, body });
      }
      res.writeHead(receiverStatus).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

async function setup(options: { forward?: boolean; graceSeconds?: number } = {}) {
  const t = await createTestTenant();
  const u = await createTestUser("hookadmin");
  await addMember(t.id, u.id, "admin");
  session.user = testSession(u, "ses_x");
  const ctx = await resolveTenant(t.id, "integrations:write");
  const { integration, hookCred } = await webhookIntegration(ctx, {
    secret: SECRET,
    ...(options.forward ? { forwardUrl: receiverUrl } : {}),
    ...(options.graceSeconds !== undefined ? { graceSeconds: options.graceSeconds } : {}),
  });
  let client: ReturnType<typeof createClient> | undefined;
  if (options.forward) {
    const pair = generateClientKeyPair();
    const key = await createApiKey(ctx, {
      name: "receiver",
      environment: "test",
      scopes: ["proxy"],
      clientPublicKey: pair.publicKey,
    });
    const secret = await configureForwarding(ctx, integration.id, key.clientKeyId ?? "");
    const signing = await currentTenantKey(t.id, "signing");
    client = createClient({
      baseUrl: "http://unused",
      tenantId: t.id,
      apiKey: secret,
      clientKeyId: key.clientKeyId ?? "",
      clientSecretKey: pair.secretKey,
      signingPublicKeys: { [signing.id]: signing.publicKey },
    });
  }
  return { tenantId: t.id, ctx, integration, hookCred, client };
}

const url = (integrationId: string, kind: string, query = "") =>
  `http://localhost/api/v2/webhooks/twilio/${integrationId}/${kind}${query}`;

function post(
  target: string,
  params: Record<string, string>,
  options: { secret?: string | null; signUrl?: string; headers?: Record<string, string> } = {},
) {
  const body = new URLSearchParams(params).toString();
  const secret = options.secret === undefined ? SECRET : options.secret;
  const signature = secret
    ? twilio.getExpectedTwilioSignature(secret, options.signUrl ?? target, params)
    : undefined;
  const route = target.split("/api/v2/webhooks/twilio/")[1]?.split("?")[0]?.split("/") ?? [];
  return POST(
    new NextRequest(target, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(signature ? { "x-twilio-signature": signature } : {}),
        ...options.headers,
      },
      body,
    }),
    { params: Promise.resolve({ integrationId: route[0] ?? "", kind: route[1] ?? "" }) },
  );
}

const events = (tenantId: string) =>
  getDb().select().from(webhookEvents).where(eq(webhookEvents.tenantId, tenantId));
const audit = (tenantId: string, action: string) =>
  getDb()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, action)));

const STATUS = { MessageSid: `SM${"1b".repeat(16)}`, MessageStatus: "delivered", To: FROM };

describe("signed audit checkpoints forwarded off the database (#13)", () => {
  it("queues every new checkpoint for the tenant's checkpoint URL and delivers it, signed", async () => {
    const s = await setup();
    const got: { id: string | undefined; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        got.push({ id: req.headers["x-pqseal-checkpoint-id"] as string | undefined, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const at = `http://127.0.0.1:${(server.address() as AddressInfo).port}/checkpoints`;
      await updateCheckpointForwarding(s.ctx, { url: at });
      const checkpoint = await signCheckpoint(s.ctx);
      expect(checkpoint).not.toBeNull();
      const queued = await getDb()
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.checkpointId, checkpoint?.id ?? ""));
      expect(queued).toHaveLength(1);
      for (let i = 0; i < 5 && got.length === 0; i++) await processDueDeliveries(50);
      const [delivered] = got;
      expect(delivered?.id).toBe(checkpoint?.id);
      const body = JSON.parse(delivered?.body ?? "{}") as SignedCheckpoint & { type: string };
      expect(body.type).toBe("pqseal-audit-checkpoint");
      expect(body).toMatchObject({ seq: checkpoint?.seq, head_hash: checkpoint?.head_hash });
      expect(verifyCheckpoint(body)).toBe(true);
      // The setting is audited with the host only.
      const [changed] = await audit(s.tenantId, "settings.updated");
      expect(changed?.details).toMatchObject({
        checkpoint_forward_host: { from: null, to: new URL(at).host },
      });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe("webhook intake", () => {
  it("accepts a validly signed request, stores it sealed, answers 200 and audits it", async () => {
    const s = await setup();
    const inbound = {
      MessageSid: `SM${"2c".repeat(16)}`,
      From: FROM,
      To: "+15005550006",
      Body: "hi there",
    };
    const res = await post(url(s.integration.id, "sms"), inbound);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/xml");
    const [stored] = await events(s.tenantId);
    expect(stored?.validation).toBe("current");
    expect(stored?.summary).toMatchObject({ sid: inbound.MessageSid, from: { last2: "66" } });
    const all = JSON.stringify(await getDb().execute(sql`select * from webhook_events`));
    expect(all).not.toContain("hi there");
    expect(all).not.toContain(FROM);
    const [received] = await audit(s.tenantId, "webhook.received");
    expect(received?.destinationLast2).toBe("66");
    expect(JSON.stringify(received)).not.toContain(FROM);
  });

  it("records a flood of refused webhooks up to a budget, then counts the rest in one event (#13)", async () => {
    const s = await setup();
    const target = url(s.integration.id, "message-status");
    for (let i = 0; i < 30; i++) {
      expect((await post(target, STATUS, { secret: "notTheSecret" })).status).toBe(403);
    }
    // 20 recorded one by one (the burst); the other 10 are counted, not written.
    expect(await audit(s.tenantId, "webhook.rejected")).toHaveLength(20);
    // Once the budget refills, the next refusal is recorded with the count of those skipped.
    await getDb().execute(
      sql`update rate_buckets set updated_at = now() - interval '1 minute' where key = ${`webhook-rejected:${s.integration.id}`}`,
    );
    expect((await post(target, STATUS, { secret: null })).status).toBe(403);
    const rejected = await audit(s.tenantId, "webhook.rejected");
    expect(rejected).toHaveLength(21);
    const summary = rejected.find((e) => "unrecorded_refusals_before" in (e.details as object));
    expect(summary?.details).toMatchObject({
      reason: "missing_signature",
      unrecorded_refusals_before: 10,
    });
    expect(await verifyChain(s.tenantId)).toMatchObject({ ok: true });
  });

  it("refuses missing, wrong and mis-addressed signatures with a bare 403, audited, nothing stored", async () => {
    const s = await setup();
    const target = url(s.integration.id, "message-status");
    const cases = [
      await post(target, STATUS, { secret: null }),
      await post(target, STATUS, { secret: "notTheSecret" }),
      await post(target, STATUS, { signUrl: target.replace("http://", "https://") }),
      await post(target, STATUS, { signUrl: target.replace("localhost", "evil.example") }),
      await post(target, STATUS, { signUrl: `${target}/` }),
      await post(target, STATUS, { signUrl: `${target}?x=1` }),
    ];
    for (const res of cases) {
      expect(res.status).toBe(403);
      expect(await res.text()).toBe("");
    }
    expect(await events(s.tenantId)).toHaveLength(0);
    const rejected = await audit(s.tenantId, "webhook.rejected");
    expect(rejected.map((e) => (e.details as { reason: string }).reason).sort()).toEqual([
      "invalid_signature",
      "invalid_signature",
      "invalid_signature",
      "invalid_signature",
      "invalid_signature",
      "missing_signature",
    ]);
    // A signed query string is part of the URL and is kept.
    const withQuery = await post(`${target}?source=console`, STATUS);
    expect(withQuery.status).toBe(200);
  });

  it("refuses unknown and disabled integrations, and bodies over the size limit", async () => {
    const s = await setup();
    expect((await post(url("int_01J00000000000000000000000", "sms"), STATUS)).status).toBe(403);
    expect((await post(url(s.integration.id, "fax"), STATUS)).status).toBe(404);
    const big = await post(url(s.integration.id, "sms"), { Body: "x".repeat(70_000) });
    expect(big.status).toBe(413);
    await getDb()
      .update(integrations)
      .set({ enabled: false })
      .where(eq(integrations.id, s.integration.id));
    expect((await post(url(s.integration.id, "message-status"), STATUS)).status).toBe(403);
    expect(await events(s.tenantId)).toHaveLength(0);
  });

  it("answers duplicates 200 without storing them twice (deduplicated on the signed request)", async () => {
    const s = await setup();
    const target = url(s.integration.id, "message-status");
    // Twilio's retries carry the same URL and body: one event each.
    expect((await post(target, STATUS)).status).toBe(200);
    expect((await post(target, STATUS)).status).toBe(200);
    expect((await post(target, { ...STATUS, MessageStatus: "sent" })).status).toBe(200);
    expect((await post(target, { ...STATUS, MessageStatus: "sent" })).status).toBe(200);
    // Same SID and status but other signed parameters: a distinct signed request, kept.
    const later = { ...STATUS, MessageStatus: "sent", ApiVersion: "2010-04-01" };
    expect((await post(target, later)).status).toBe(200);
    expect(await events(s.tenantId)).toHaveLength(3);
    expect(await audit(s.tenantId, "webhook.received")).toHaveLength(3);
  });

  it("answers a replayed signed request 200 and keeps it once, whatever its unsigned parts (#14)", async () => {
    const s = await setup({ forward: true });
    const target = url(s.integration.id, "message-status", "?source=console");
    const token = (t: string) => ({ headers: { "i-twilio-idempotency-token": t } });
    expect((await post(target, STATUS, token("tok-1"))).status).toBe(200);
    // The captured request again with a new I-Twilio-Idempotency-Token (not signed), or none.
    expect((await post(target, STATUS, token("tok-2"))).status).toBe(200);
    expect((await post(target, STATUS)).status).toBe(200);
    // The same signature still validates over re-encodings of the signed content: parameters
    // reordered, re-escaped or repeated, the default port, the query escaped differently.
    const signature = twilio.getExpectedTwilioSignature(SECRET, target, STATUS);
    const replay = (at: string, body: string, headers: Record<string, string> = {}) =>
      POST(
        new NextRequest(at, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": signature,
            "i-twilio-idempotency-token": `tok-${body.length}-${at.length}`,
            ...headers,
          },
          body,
        }),
        { params: Promise.resolve({ integrationId: s.integration.id, kind: "message-status" }) },
      );
    const body = new URLSearchParams(STATUS).toString();
    const variants = [
      await replay(target, new URLSearchParams(Object.entries(STATUS).reverse()).toString()),
      await replay(target, body.replace("=delivered", "=%64elivered")),
      await replay(target, `${body}&MessageStatus=delivered`),
      await replay(target, body, { host: "localhost:80" }),
      await replay(target.replace("=console", "=%63onsole"), body),
    ];
    expect(variants.map((r) => r.status)).toEqual(Array(variants.length).fill(200));
    expect(await events(s.tenantId)).toHaveLength(1);
    expect(await audit(s.tenantId, "webhook.received")).toHaveLength(1);
    const jobs = await getDb()
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.tenantId, s.tenantId));
    expect(jobs).toHaveLength(1);
  });

  it("stores a burst of concurrent retries of one event once, with one audit event, chain intact", async () => {
    const s = await setup({ forward: true });
    const target = url(s.integration.id, "message-status");
    const others = Array.from({ length: 4 }, (_, i) => ({
      ...STATUS,
      MessageSid: `SM${String(i).repeat(32)}`,
    }));
    // Retries of one event and four other events arrive together: they share commit batches.
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, () => post(target, STATUS)),
      ...others.map((params) => post(target, params)),
    ]);
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(await events(s.tenantId)).toHaveLength(5);
    expect(await audit(s.tenantId, "webhook.received")).toHaveLength(5);
    const jobs = await getDb()
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.tenantId, s.tenantId));
    expect(jobs).toHaveLength(5);
    expect((await verifyChain(s.tenantId)).ok).toBe(true);
  });

  it("validates JSON bodies with bodySHA256, and GET requests over their query", async () => {
    const s = await setup();
    const body = JSON.stringify({
      type: "com.twilio.verify.verification.approved",
      sid: `VE${"3c".repeat(16)}`,
    });
    const { createHash } = await import("node:crypto");
    const target = url(
      s.integration.id,
      "verify-events",
      `?bodySHA256=${createHash("sha256").update(body).digest("hex")}`,
    );
    const send = (b: string) =>
      POST(
        new NextRequest(target, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-twilio-signature": twilio.getExpectedTwilioSignature(SECRET, target, {}),
          },
          body: b,
        }),
        { params: Promise.resolve({ integrationId: s.integration.id, kind: "verify-events" }) },
      );
    expect((await send(body)).status).toBe(200);
    expect((await send(body.replace("approved", "canceled"))).status).toBe(403);
    const getUrl = url(
      s.integration.id,
      "call-status",
      `?CallSid=CA${"4d".repeat(16)}&CallStatus=completed`,
    );
    const get = (u: string) =>
      GET(
        new NextRequest(u, {
          headers: { "x-twilio-signature": twilio.getExpectedTwilioSignature(SECRET, getUrl, {}) },
        }),
        { params: Promise.resolve({ integrationId: s.integration.id, kind: "call-status" }) },
      );
    expect((await get(getUrl)).status).toBe(200);
    expect((await get(getUrl.replace("completed", "failed"))).status).toBe(403);
  });

  it("keeps the previous secret valid during the rotation grace period only", async () => {
    const s = await setup();
    const target = url(s.integration.id, "message-status");
    await rotateCredential(s.ctx, s.hookCred.id, {
      values: { secret: "rotatedSecret" },
      graceSeconds: 3600,
    });
    expect((await post(target, { ...STATUS, MessageStatus: "sent" })).status).toBe(200);
    expect((await post(target, STATUS, { secret: "rotatedSecret" })).status).toBe(200);
    const validations = (await events(s.tenantId)).map((e) => e.validation).sort();
    expect(validations).toEqual(["current", "previous"]);
    await rotateCredential(s.ctx, s.hookCred.id, { values: { secret: "third" }, graceSeconds: 0 });
    expect(
      (await post(target, { ...STATUS, MessageStatus: "read" }, { secret: "rotatedSecret" }))
        .status,
    ).toBe(403);
    expect(
      (await post(target, { ...STATUS, MessageStatus: "read" }, { secret: SECRET })).status,
    ).toBe(403);
  });

  // Each answer as "<status>[ <error code>]", or how the handler threw.
  const answer = (res: Promise<Response>) =>
    res.then(
      async (r) =>
        r.status === 400 ? `400 ${((await r.json()) as { code: string }).code}` : String(r.status),
      (e: unknown) => `threw ${String(e)}`,
    );

  it("answers a signed body it cannot keep 400 invalid_input, audited as refused, nothing stored (#14)", async () => {
    const s = await setup({ forward: true });
    const { createHash } = await import("node:crypto");
    const json = (body: string) => {
      const sha = createHash("sha256").update(body).digest("hex");
      const target = url(s.integration.id, "verify-events", `?bodySHA256=${sha}`);
      return POST(
        new NextRequest(target, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-twilio-signature": twilio.getExpectedTwilioSignature(SECRET, target, {}),
          },
          body,
        }),
        { params: Promise.resolve({ integrationId: s.integration.id, kind: "verify-events" }) },
      );
    };
    const getUrl = url(s.integration.id, "call-status", "?CallSid=CA%00&CallStatus=completed");
    const cases = [
      // JSON that is not an object, or not JSON at all.
      ...["null", "[]", '"x"', "1", "true", "{"].map((body) => () => json(body)),
      // NUL (PostgreSQL text and jsonb cannot hold it) and unpaired surrogates, at any depth.
      () => json('{"sid":"VE\\u0000"}'),
      () => json('{"sid":"VE\\ud800"}'),
      () => json('{"type":"t","data":{"to":["\\ud800"]}}'),
      () => json('{"type":"t","a\\u0000":1}'),
      () => post(url(s.integration.id, "message-status"), { ...STATUS, MessageSid: "SM\0" }),
      () => post(url(s.integration.id, "message-status"), { ...STATUS, ["Mess\0Sid"]: "x" }),
      () => post(url(s.integration.id, "sms"), { MessageSid: STATUS.MessageSid, Body: "a\0b" }),
      () =>
        GET(
          new NextRequest(getUrl, {
            headers: {
              "x-twilio-signature": twilio.getExpectedTwilioSignature(SECRET, getUrl, {}),
            },
          }),
          { params: Promise.resolve({ integrationId: s.integration.id, kind: "call-status" }) },
        ),
    ];
    const got: string[] = [];
    for (const send of cases) got.push(await answer(send()));
    expect(got).toEqual(Array(cases.length).fill("400 invalid_input"));
    expect(await events(s.tenantId)).toHaveLength(0);
    expect(await audit(s.tenantId, "webhook.received")).toHaveLength(0);
    const jobs = await getDb()
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.tenantId, s.tenantId));
    expect(jobs).toHaveLength(0);
    const rejected = await audit(s.tenantId, "webhook.rejected");
    expect(rejected.map((e) => (e.details as { reason: string }).reason)).toEqual(
      Array(cases.length).fill("invalid_body"),
    );
    expect((await verifyChain(s.tenantId)).ok).toBe(true);
  });

  it("keeps odd values of a signed form out of the summary instead of failing on them (#14)", async () => {
    const s = await setup();
    const sid = `SM${"8a".repeat(16)}`;
    await getDb()
      .insert(proxiedMessages)
      .values({ sid, tenantId: s.tenantId, integrationId: s.integration.id, status: "queued" });
    const target = url(s.integration.id, "message-status");
    const got = [
      // A status shaped like a phone number (the audit recorder refuses those in details).
      await answer(post(target, { MessageSid: sid, MessageStatus: "4155550166", To: FROM })),
      // A SID longer than audit details may be.
      await answer(post(target, { MessageSid: `SM${"ab".repeat(10_000)}`, MessageStatus: "sent" })),
      // Error codes that are no integer, or too large for one.
      await answer(
        post(target, { MessageSid: sid, MessageStatus: "undelivered", ErrorCode: "1.5" }),
      ),
      await answer(post(target, { MessageSid: sid, MessageStatus: "failed", ErrorCode: "1e10" })),
      // Parameter names that are Object.prototype's (signed like any other).
      await answer(
        post(target, { ...STATUS, constructor: "x", ["__proto__"]: "y", toString: "z" }),
      ),
    ];
    expect(got).toEqual(Array(got.length).fill("200"));
    const summaries = (await events(s.tenantId)).map((e) => e.summary);
    expect(summaries).toHaveLength(got.length);
    expect(summaries.filter((x) => x.sid === sid).map((x) => [x.status, x.error_code])).toEqual(
      expect.arrayContaining([
        [null, null],
        ["undelivered", null],
        ["failed", null],
      ]),
    );
    expect(summaries.some((x) => (x.sid ?? "").length > 100)).toBe(false);
    const [message] = await getDb()
      .select()
      .from(proxiedMessages)
      .where(eq(proxiedMessages.sid, sid));
    expect([message?.status, message?.errorCode]).toEqual(["failed", null]);
    expect(await audit(s.tenantId, "webhook.received")).toHaveLength(got.length);
  });

  it("updates the delivery state of messages sent through the proxy", async () => {
    const s = await setup();
    const sid = `SM${"5e".repeat(16)}`;
    await getDb()
      .insert(proxiedMessages)
      .values({ sid, tenantId: s.tenantId, integrationId: s.integration.id, status: "queued" });
    const target = url(s.integration.id, "message-status");
    await post(target, { MessageSid: sid, MessageStatus: "sent", To: FROM });
    await post(target, {
      MessageSid: sid,
      MessageStatus: "undelivered",
      ErrorCode: "30003",
      To: FROM,
    });
    await post(target, { MessageSid: sid, MessageStatus: "sent", To: FROM, Late: "1" }); // late, ignored
    const [message] = await getDb()
      .select()
      .from(proxiedMessages)
      .where(eq(proxiedMessages.sid, sid));
    expect([message?.status, message?.errorCode]).toEqual(["undelivered", 30003]);
  });
});

describe("webhook forwarding", () => {
  const deliveryOf = async (tenantId: string) => {
    const [d] = await getDb()
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.tenantId, tenantId));
    return d;
  };
  const makeDue = (tenantId: string) =>
    getDb()
      .update(webhookDeliveries)
      .set({ nextAttemptAt: new Date(Date.now() - 1000) })
      .where(eq(webhookDeliveries.tenantId, tenantId));

  it("delivers an envelope the receiver verifies and decrypts; receiver down then up", async () => {
    const s = await setup({ forward: true });
    receiverStatus = 503;
    expect(
      (
        await post(url(s.integration.id, "sms"), {
          MessageSid: `SM${"6f".repeat(16)}`,
          From: FROM,
          Body: "fwd me",
        })
      ).status,
    ).toBe(200);
    await processDueDeliveries();
    let d = await deliveryOf(s.tenantId);
    expect([d?.state, d?.attempts, d?.lastStatus]).toEqual(["pending", 1, 503]);
    const wait = (d?.nextAttemptAt.getTime() ?? 0) - Date.now();
    expect(wait).toBeGreaterThan(7_000);
    expect(wait).toBeLessThan(13_000);
    receiverStatus = 200;
    await makeDue(s.tenantId);
    await processDueDeliveries();
    d = await deliveryOf(s.tenantId);
    expect([d?.state, d?.attempts]).toEqual(["delivered", 2]);
    const delivered = bodies.find((b) => b.eventId === d?.eventId);
    const payload = s.client?.encryption.decrypt(JSON.parse(delivered?.body ?? "{}")) as {
      data: { kind: string; request: { body: string } };
    };
    expect(payload.data.kind).toBe("sms");
    expect(payload.data.request.body).toContain("fwd+me");
    const attempts = await getDb()
      .select()
      .from(webhookDeliveryAttempts)
      .where(eq(webhookDeliveryAttempts.deliveryId, d?.id ?? ""));
    expect(attempts.map((a) => a.statusCode)).toEqual([503, 200]);
  });

  it("survives a worker dying mid-delivery: delivered exactly once after the lease runs out", async () => {
    const s = await setup({ forward: true });
    receiverStatus = 200;
    await post(url(s.integration.id, "message-status"), STATUS);
    const [claimed] = await claimDue(10); // a worker takes the job ... and dies
    expect(claimed?.tenant_id).toBe(s.tenantId);
    expect(await processDueDeliveries()).toBe(0); // leased: nobody else takes it
    await getDb()
      .update(webhookDeliveries)
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(webhookDeliveries.tenantId, s.tenantId));
    await processDueDeliveries();
    const d = await deliveryOf(s.tenantId);
    expect(d?.state).toBe("delivered");
    expect(seen.get(d?.eventId ?? "")).toBe(1);
  });

  describe("when the process stops (the shutdown signal)", () => {
    const attemptsOf = async (deliveryId: string) =>
      (
        await getDb()
          .select()
          .from(webhookDeliveryAttempts)
          .where(eq(webhookDeliveryAttempts.deliveryId, deliveryId))
      ).map((a) => a.statusCode);
    afterEach(() => {
      aroundFetch.before = () => {};
      aroundFetch.after = () => {};
      receiverStatus = 200;
    });
    // First in line (claims are oldest first), so a pass of one takes this tenant's delivery
    // whatever other tests left pending.
    const firstInLine = (tenantId: string) =>
      getDb()
        .update(webhookDeliveries)
        .set({ nextAttemptAt: new Date(0) })
        .where(eq(webhookDeliveries.tenantId, tenantId));

    it("hands a delivery whose request it interrupts back: lease released, attempt not counted", async () => {
      const s = await setup({ forward: true });
      await post(url(s.integration.id, "message-status"), STATUS);
      await firstInLine(s.tenantId);
      const shutdown = new AbortController();
      aroundFetch.before = () => shutdown.abort();
      expect(await processDueDeliveries(1, shutdown.signal)).toBe(1);
      const d = await deliveryOf(s.tenantId);
      expect([d?.state, d?.attempts, d?.lockedUntil, d?.lastStatus]).toEqual([
        "pending",
        0,
        null,
        null,
      ]);
      expect(await attemptsOf(d?.id ?? "")).toEqual([]);
      // Due at once: the next pass (another worker) delivers it, as its first attempt.
      aroundFetch.before = () => {};
      expect(await processDueDeliveries(1)).toBe(1);
      expect((await deliveryOf(s.tenantId))?.state).toBe("delivered");
      expect(await attemptsOf(d?.id ?? "")).toEqual([200]);
    });

    it("counts a receiver's 5xx that arrived as shutdown began, as any failed attempt", async () => {
      const s = await setup({ forward: true });
      await post(url(s.integration.id, "message-status"), STATUS);
      await firstInLine(s.tenantId);
      receiverStatus = 503;
      const shutdown = new AbortController();
      aroundFetch.after = () => shutdown.abort();
      expect(await processDueDeliveries(1, shutdown.signal)).toBe(1);
      const d = await deliveryOf(s.tenantId);
      expect([d?.state, d?.attempts, d?.lockedUntil, d?.lastStatus]).toEqual([
        "pending",
        1,
        null,
        503,
      ]);
      expect(d?.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 5_000); // backed off
      expect(await attemptsOf(d?.id ?? "")).toEqual([503]);
    });
  });

  it("dead-letters after the last attempt; replay delivers it", async () => {
    const s = await setup({ forward: true });
    receiverStatus = 500;
    await post(url(s.integration.id, "message-status"), STATUS);
    for (let i = 0; i < 9; i++) {
      await makeDue(s.tenantId);
      await processDueDeliveries();
    }
    let d = await deliveryOf(s.tenantId);
    expect([d?.state, d?.attempts]).toEqual(["dead", 9]);
    receiverStatus = 200;
    // Another tenant's admin naming this integration or this delivery queues nothing.
    const other = await setup();
    expect(await replayDeliveries(other.ctx, s.integration.id)).toBe(0);
    expect(await replayDeliveries(other.ctx, other.integration.id, d?.id)).toBe(0);
    expect((await deliveryOf(s.tenantId))?.state).toBe("dead");
    expect(await replayDeliveries(s.ctx, s.integration.id)).toBe(1);
    const [replayed] = (await audit(s.tenantId, "integration.updated")).filter(
      (e) => e.details.webhook_replay === "all_dead_lettered",
    );
    expect(replayed?.details).toMatchObject({ deliveries: 1 });
    await processDueDeliveries();
    d = await deliveryOf(s.tenantId);
    expect(d?.state).toBe("delivered");
  });
});
