// Forwarded deliveries as Standard Webhooks (#17): stock verifiers accept them, a regenerated
// secret keeps the previous one signing through its grace, and the receiver's answers are
// heard: 410 Gone stops forwarding, Retry-After is honoured, and an endpoint failing for longer
// than FORWARD_DISABLE_AFTER_HOURS (2 here) is disabled; each stop audited, re-enabling too.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { Webhook } from "standardwebhooks";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/v2/webhooks/twilio/[integrationId]/[kind]/route";
import { getDb } from "@/db";
import { auditEvents, integrations, webhookDeliveries } from "@/db/schema";
import { createApiKey } from "@/lib/features/api-keys/service";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { currentTenantKey } from "@/lib/platform/keys/tenant-keys";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { createClient, generateClientKeyPair } from "@/lib/shared/sdk/index";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { webhookIntegration } from "@/test/webhook-setup";
import { enableForwarding } from "./endpoint-health";
import { configureForwarding, processDueDeliveries, replayDeliveries } from "./forward";

vi.hoisted(() => {
  process.env.PQSEAL_DEPLOYMENT_MODE = "development";
  process.env.FORWARD_DISABLE_AFTER_HOURS = "2";
});
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

const HOOK_SECRET = "standardWebhooksTestSecret000001";
type Received = { path: string; headers: IncomingHttpHeaders; body: string };
type Answer = { status: number; headers?: Record<string, string> };

// One receiver; each test has its own path, and its own answer.
let server: ReturnType<typeof createServer>;
let base = "";
const received = new Map<string, Received[]>();
const answers = new Map<string, Answer>();
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const path = req.url ?? "";
      received.set(path, [...(received.get(path) ?? []), { path, headers: req.headers, body }]);
      const answer = answers.get(path) ?? { status: 200 };
      res.writeHead(answer.status, answer.headers).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

let paths = 0;
async function setup() {
  const path = `/hook-${++paths}-${Date.now()}`;
  const t = await createTestTenant();
  const u = await createTestUser("fwdadmin");
  await addMember(t.id, u.id, "admin");
  session.user = testSession(u, "ses_f");
  const ctx = await resolveTenant(t.id, "integrations:write");
  const { integration } = await webhookIntegration(ctx, {
    secret: HOOK_SECRET,
    forwardUrl: `${base}${path}`,
  });
  const pair = generateClientKeyPair();
  const key = await createApiKey(ctx, {
    name: "receiver",
    environment: "test",
    scopes: ["proxy"],
    clientPublicKey: pair.publicKey,
  });
  const clientKeyId = key.clientKeyId ?? "";
  const signing = await currentTenantKey(t.id, "signing");
  /** The receiver's SDK client with `secret` where it takes an API key (ENVELOPE.md §5). */
  const client = (secret: string) =>
    createClient({
      baseUrl: "http://unused",
      tenantId: t.id,
      apiKey: secret,
      clientKeyId,
      clientSecretKey: pair.secretKey,
      signingPublicKeys: { [signing.id]: signing.publicKey },
    });
  let sent = 0;
  const target = `http://localhost/api/v2/webhooks/twilio/${integration.id}/message-status`;
  return {
    tenantId: t.id,
    ctx,
    integration,
    clientKeyId,
    client,
    secret: await configureForwarding(ctx, integration.id, clientKeyId),
    answer: (a: Answer) => answers.set(path, a),
    received: () => received.get(path) ?? [],
    /** Accepts one signed Twilio webhook (which queues its forwarding). */
    async accept() {
      const params = { MessageSid: `SM${(sent++).toString(16).padStart(32, "0")}` };
      const res = await POST(
        new NextRequest(target, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": twilio.getExpectedTwilioSignature(HOOK_SECRET, target, params),
          },
          body: new URLSearchParams(params).toString(),
        }),
        { params: Promise.resolve({ integrationId: integration.id, kind: "message-status" }) },
      );
      expect(res.status).toBe(200);
    },
    /** Makes this tenant's pending deliveries first in line, then runs a pass of the worker. */
    async deliver() {
      await getDb()
        .update(webhookDeliveries)
        .set({ nextAttemptAt: new Date(0) })
        .where(and(eq(webhookDeliveries.tenantId, t.id), eq(webhookDeliveries.state, "pending")));
      await processDueDeliveries(20);
    },
    deliveries: () =>
      getDb()
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.tenantId, t.id))
        .orderBy(webhookDeliveries.createdAt),
    async integrationRow() {
      const [row] = await getDb()
        .select()
        .from(integrations)
        .where(and(eq(integrations.tenantId, t.id), eq(integrations.id, integration.id)));
      return row;
    },
    audit: (action: string) =>
      getDb()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, t.id), eq(auditEvents.action, action))),
  };
}

/** The request as the stock verifier takes it: the raw body and the headers. */
const verify = (secret: string, r: Received | undefined) =>
  new Webhook(secret).verify(r?.body ?? "", r?.headers as Record<string, string>);

describe("forwarded deliveries follow Standard Webhooks (#17)", () => {
  it("are accepted by the standardwebhooks package, with one webhook-id across retries", async () => {
    const s = await setup();
    expect(s.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    s.answer({ status: 500 });
    await s.accept();
    await s.deliver();
    s.answer({ status: 200 });
    await s.deliver();
    const [first, second] = s.received();
    const [d] = await s.deliveries();
    expect(d?.state).toBe("delivered");
    // The same id on every attempt: the event id, as X-PQSeal-Event-Id and request_id.
    expect(first?.headers["webhook-id"]).toBe(d?.eventId);
    expect(second?.headers["webhook-id"]).toBe(d?.eventId);
    expect(Math.abs(Number(second?.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(
      30,
    );
    const envelope = verify(s.secret, second);
    expect(s.client(s.secret).encryption.decrypt(envelope)).toMatchObject({
      data: { event_id: d?.eventId, kind: "message-status" },
    });
    // Another secret, or a body changed on the way, is refused.
    expect(() => verify(`whsec_${Buffer.alloc(32, 1).toString("base64")}`, second)).toThrow();
    expect(() => verify(s.secret, { ...second, body: `${second?.body} ` } as Received)).toThrow();
  });

  it("signs with the old and the new secret during a rotation's grace, then with the new one", async () => {
    const s = await setup();
    const old = s.secret;
    const fresh = await configureForwarding(s.ctx, s.integration.id, s.clientKeyId);
    expect(fresh).not.toBe(old);
    const [rotated] = (await s.audit("integration.updated")).filter(
      (e) => e.details.forward_hmac_key === "regenerated" && e.details.previous_key_valid_until,
    );
    const until = Date.parse(String(rotated?.details.previous_key_valid_until));
    expect(until - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect(JSON.stringify(rotated?.details)).not.toContain(old.slice(6, 20));

    await s.accept();
    await s.deliver();
    const during = s.received().at(-1);
    expect(String(during?.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    // Both verifiers accept it, and the envelope still opens with the secret receivers hold.
    expect(verify(old, during)).toEqual(verify(fresh, during));
    expect(() => s.client(old).encryption.decrypt(verify(old, during))).not.toThrow();

    // The grace is over: only the new secret signs, and the envelope is keyed by it.
    await getDb()
      .update(integrations)
      .set({ forwardPreviousValidUntil: new Date(Date.now() - 1000) })
      .where(and(eq(integrations.tenantId, s.tenantId), eq(integrations.id, s.integration.id)));
    await s.accept();
    await s.deliver();
    const after = s.received().at(-1);
    expect(String(after?.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(() => verify(old, after)).toThrow();
    expect(() => s.client(fresh).encryption.decrypt(verify(fresh, after))).not.toThrow();

    // A leaked secret: regenerated with no grace, it stops signing at once.
    const third = await configureForwarding(s.ctx, s.integration.id, s.clientKeyId, {
      graceHours: 0,
    });
    await s.accept();
    await s.deliver();
    const now = s.received().at(-1);
    expect(() => verify(fresh, now)).toThrow();
    expect(() => s.client(third).encryption.decrypt(verify(third, now))).not.toThrow();
  });

  it("stops forwarding on 410 Gone: endpoint disabled, pending deliveries stopped, audited", async () => {
    const s = await setup();
    s.answer({ status: 410 });
    await s.accept();
    await s.accept();
    // One attempt only: the first 410 stops the other delivery too.
    await getDb()
      .update(webhookDeliveries)
      .set({ nextAttemptAt: new Date(Date.now() + 3600_000) })
      .where(eq(webhookDeliveries.tenantId, s.tenantId));
    const [first] = await s.deliveries();
    await getDb()
      .update(webhookDeliveries)
      .set({ nextAttemptAt: new Date(0) })
      .where(eq(webhookDeliveries.id, first?.id ?? ""));
    await processDueDeliveries(20);
    expect(s.received()).toHaveLength(1);
    const row = await s.integrationRow();
    expect(row?.forwardDisabledAt).toBeInstanceOf(Date);
    expect(row?.forwardDisabledReason).toBe("receiver_gone");
    expect((await s.deliveries()).map((d) => d.state)).toEqual(["dead", "dead"]);
    const [disabled] = await s.audit("webhook.forward_disabled");
    expect(disabled).toMatchObject({
      actorType: "system",
      integrationId: s.integration.id,
      details: { reason: "receiver_gone", status: 410, deliveries_stopped: 1 },
    });
    expect(JSON.stringify(disabled?.details)).not.toContain(s.secret.slice(6, 20));

    // Events accepted while disabled are not sent.
    s.answer({ status: 200 });
    await s.accept();
    await s.deliver();
    expect(s.received()).toHaveLength(1);
    expect((await s.deliveries()).map((d) => d.state)).toEqual(["dead", "dead", "dead"]);

    // Another tenant's admin cannot re-enable it; this tenant's can, audited; replay sends all.
    const other = await setup();
    await expect(enableForwarding(other.ctx, s.integration.id)).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await s.integrationRow())?.forwardDisabledAt).toBeInstanceOf(Date);
    expect(await enableForwarding(s.ctx, s.integration.id)).toBe(true);
    const enabled = await s.integrationRow();
    expect([enabled?.forwardDisabledAt, enabled?.forwardDisabledReason]).toEqual([null, null]);
    const [audited] = await s.audit("webhook.forward_enabled");
    expect(audited).toMatchObject({
      actorType: "user",
      details: { previous_reason: "receiver_gone" },
    });
    expect(await replayDeliveries(s.ctx, s.integration.id)).toBe(3);
    await s.deliver();
    expect((await s.deliveries()).map((d) => d.state)).toEqual([
      "delivered",
      "delivered",
      "delivered",
    ]);
  });

  it("honours Retry-After on 429 and 503 (seconds or a date, at most a day)", async () => {
    const s = await setup();
    await s.accept();
    const next = async () => ((await s.deliveries())[0]?.nextAttemptAt.getTime() ?? 0) - Date.now();

    s.answer({ status: 429, headers: { "retry-after": "600" } });
    await s.deliver();
    expect(Math.abs((await next()) - 600_000)).toBeLessThan(5_000);

    const at = new Date(Date.now() + 2 * 3600_000);
    s.answer({ status: 503, headers: { "retry-after": at.toUTCString() } });
    await s.deliver();
    expect(Math.abs((await next()) - 2 * 3600_000)).toBeLessThan(5_000);

    s.answer({ status: 429, headers: { "retry-after": String(30 * 86_400) } });
    await s.deliver();
    expect(Math.abs((await next()) - 86_400_000)).toBeLessThan(5_000);

    // Without it (or on other statuses) the backoff goes on: attempt 4 waits 30 min ± 20 %.
    s.answer({ status: 500, headers: { "retry-after": "5" } });
    await s.deliver();
    const wait = await next();
    expect(wait).toBeGreaterThan(0.79 * 1800_000);
    expect(wait).toBeLessThan(1.21 * 1800_000);
    const [d] = await s.deliveries();
    expect([d?.state, d?.attempts, d?.lastStatus]).toEqual(["pending", 4, 500]);
  });

  it("disables an endpoint failing for longer than FORWARD_DISABLE_AFTER_HOURS, audited", async () => {
    const s = await setup();
    s.answer({ status: 500 });
    await s.accept();
    await s.deliver();
    let row = await s.integrationRow();
    expect(Math.abs((row?.forwardFailingSince?.getTime() ?? 0) - Date.now())).toBeLessThan(30_000);
    expect(row?.forwardDisabledAt).toBeNull();

    // A success in between starts the count again.
    s.answer({ status: 200 });
    await s.accept();
    await s.deliver();
    expect((await s.integrationRow())?.forwardFailingSince).toBeNull();

    // Failing for 1 h: still on. Failing for 3 h (> 2): disabled at the next failure.
    s.answer({ status: 503 });
    await s.accept();
    const since = (hours: number) =>
      getDb()
        .update(integrations)
        .set({ forwardFailingSince: new Date(Date.now() - hours * 3600_000) })
        .where(and(eq(integrations.tenantId, s.tenantId), eq(integrations.id, s.integration.id)));
    await s.deliver();
    await since(1);
    await s.deliver();
    expect((await s.integrationRow())?.forwardDisabledAt).toBeNull();
    await since(3);
    await s.deliver();
    row = await s.integrationRow();
    expect(row?.forwardDisabledAt).toBeInstanceOf(Date);
    expect(row?.forwardDisabledReason).toBe("failing_too_long");
    const [disabled] = await s.audit("webhook.forward_disabled");
    expect(disabled?.details).toMatchObject({ reason: "failing_too_long", status: 503 });
    expect((await s.deliveries()).map((d) => d.state)).toEqual(["delivered", "delivered", "dead"]);
    const sent = s.received().length;
    await s.accept();
    await s.deliver();
    expect(s.received()).toHaveLength(sent);
  });
});
