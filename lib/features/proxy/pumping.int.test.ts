import { and, eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import twilio from "twilio";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as webhookRoute } from "@/app/api/v2/webhooks/twilio/[integrationId]/[kind]/route";
import { getDb } from "@/db";
import { auditEvents, verificationAttempts } from "@/db/schema";
import { updateIntegration } from "@/lib/features/integrations/service";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { ACCOUNT, proxySetup, TOKEN } from "@/test/proxy-setup";
import { resetBreakers } from "./breaker";
import { suspectedPumping } from "./pumping";

// SMS pumping signals and fallback guidance (issue #21): a burst of verifications to one
// country that are never approved throttles that country (alert or refuse); approvals bring it
// back; an SMS reported undelivered (30003) makes the next create_verification to the number
// suggest channel call, without switching it; so does an SMS verification left unapproved for
// the integration's fallback_after_seconds.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

let double: TwilioDouble;
beforeAll(async () => {
  double = await startTwilioDouble({
    port: Number(process.env.TWILIO_DOUBLE_PORT),
    accounts: [{ sid: ACCOUNT, authToken: TOKEN }],
  });
});
afterAll(() => double.close());
beforeEach(() => resetBreakers());

type Setup = Awaited<ReturnType<typeof proxySetup>>;
const setup = (overrides: Parameters<typeof proxySetup>[1] = {}) =>
  proxySetup((user) => (session.user = user), {
    allowed_operations: ["send_sms", "create_verification", "check_verification"],
    allowed_countries: ["FR", "US"],
    sends_per_destination: 100,
    key_burst: 200,
    key_rate_per_second: 200,
    ...overrides,
  });

const outbound = (s: Setup, operation: string, payload: Record<string, unknown>) =>
  s.client.proxy.outbound({ integration_id: s.integration.id, operation, payload });
const verify = (s: Setup, to: string) => outbound(s, "create_verification", { to, channel: "sms" });
/** A US number of its own per index (Twilio's Verify allows 5 sends per number). */
const us = (i: number) => `+1415555${String(1000 + i).padStart(4, "0")}`;
const FR = "+33612345678";

async function burst(s: Setup, count: number) {
  for (let i = 0; i < count; i++) await verify(s, us(i));
}
async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return error as { status: number; code: string } | null;
}
const events = (s: Setup, action: string) =>
  getDb()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, s.tenantId), eq(auditEvents.action, action)));

describe("SMS pumping signals", () => {
  it("refuses a country after 20 unapproved verifications (429 country_throttled_pumping, audited); another country is unaffected; approvals allow it again", async () => {
    const s = await setup({ pumping_action: "refuse" });
    await burst(s, 20);
    const refused = await refusal(verify(s, us(20)));
    expect(refused).toMatchObject({ status: 429, code: "country_throttled_pumping" });
    const sms = await refusal(outbound(s, "send_sms", { to: us(21), body: "hi" }));
    expect(sms).toMatchObject({ status: 429, code: "country_throttled_pumping" });
    expect((await verify(s, FR)).success).toBe(true);

    const denied = await events(s, "proxy.denied");
    expect(denied.map((e) => e.details)).toEqual([
      { operation: "create_verification", reason: "country_throttled_pumping", country: "US" },
      { operation: "send_sms", reason: "country_throttled_pumping", country: "US" },
    ]);
    const suspected = await events(s, "proxy.pumping_suspected");
    expect(suspected).toHaveLength(1);
    expect(suspected[0]).toMatchObject({ outcome: "denied" });
    expect(suspected[0]?.details).toMatchObject({ country: "US", created: 20, approved: 0 });
    expect(await suspectedPumping(s.tenantId)).toMatchObject([
      { integrationId: s.integration.id, country: "US", created: 20, approved: 0 },
    ]);

    // 4 of 20 approved (20 %): at the threshold, allowed again (5 of 21 after that one).
    for (let i = 0; i < 5; i++) {
      if (i === 4) expect((await verify(s, us(22))).success).toBe(true);
      const code = double.codeFor(us(i));
      const checked = await outbound(s, "check_verification", { to: us(i), code });
      expect((checked.result as { data: { status: string } }).data.status).toBe("approved");
    }
    expect(await suspectedPumping(s.tenantId)).toEqual([]);
  }, 60_000);

  it("alerts without refusing under pumping_action alert: one proxy.pumping_suspected per window", async () => {
    const s = await setup();
    expect(s.integration.pumping_action).toBe("alert");
    await burst(s, 20);
    for (let i = 20; i < 23; i++) expect((await verify(s, us(i))).success).toBe(true);
    const suspected = await events(s, "proxy.pumping_suspected");
    expect(suspected).toHaveLength(1);
    expect(suspected[0]).toMatchObject({ outcome: "allowed" });
    expect(suspected[0]?.details).toMatchObject({ country: "US", created: 20, approved: 0 });
    expect(await events(s, "proxy.denied")).toHaveLength(0);
  }, 60_000);
});

describe("fallback guidance", () => {
  it("after a 30003 status callback, the next create_verification to the number suggests channel call (and still sends SMS)", async () => {
    const s = await setup();
    await updateIntegration(s.ctx, s.integration.id, { webhook_credential_id: s.cred.id });
    const to = us(50);
    const first = await verify(s, to);
    expect(first.result).not.toHaveProperty("fallback");
    const sent = await outbound(s, "send_sms", { to, body: "Your code is 123456" });
    const sid = (sent.result as { data: { sid: string } }).data.sid;

    const target = `http://localhost/api/v2/webhooks/twilio/${s.integration.id}/message-status`;
    const params = { MessageSid: sid, MessageStatus: "undelivered", ErrorCode: "30003", To: to };
    const res = await webhookRoute(
      new NextRequest(target, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": twilio.getExpectedTwilioSignature(TOKEN, target, params),
        },
        body: new URLSearchParams(params).toString(),
      }),
      { params: Promise.resolve({ integrationId: s.integration.id, kind: "message-status" }) },
    );
    expect(res.status).toBe(200);

    const before = double.requests.filter((r) => r.path.endsWith("/Verifications")).length;
    const next = await verify(s, to);
    expect(next.result).toMatchObject({ fallback: { channel: "call", reason: "sms_undelivered" } });
    const calls = double.requests.filter((r) => r.path.endsWith("/Verifications"));
    expect(calls).toHaveLength(before + 1);
    expect(calls.at(-1)?.params).toMatchObject({ Channel: "sms" });
    // Another number in the same integration gets no guidance.
    expect((await verify(s, us(51))).result).not.toHaveProperty("fallback");
  }, 60_000);

  it("suggests channel call when the number's last SMS verification is unapproved after fallback_after_seconds; not within it, not after approval, not when 0", async () => {
    const s = await setup();
    expect(s.integration.fallback_after_seconds).toBe(20);
    const to = us(60);
    // Time passing: the tenant's verifications were created `seconds` earlier.
    const age = (seconds: number) =>
      getDb()
        .update(verificationAttempts)
        .set({
          createdAt: sql`${verificationAttempts.createdAt} - make_interval(secs => ${seconds})`,
        })
        .where(eq(verificationAttempts.tenantId, s.tenantId));

    expect((await verify(s, to)).result).not.toHaveProperty("fallback");
    expect((await verify(s, to)).result).not.toHaveProperty("fallback");
    await age(15);
    expect((await verify(s, to)).result).not.toHaveProperty("fallback");
    await age(10);
    const late = await verify(s, to);
    expect(late.success).toBe(true);
    expect(late.result).toMatchObject({
      fallback: { channel: "call", reason: "no_confirmation_in_time" },
    });
    const calls = double.requests.filter((r) => r.path.endsWith("/Verifications"));
    expect(calls.at(-1)?.params).toMatchObject({ Channel: "sms" });

    // Approved: no guidance, however old.
    const checked = await outbound(s, "check_verification", { to, code: double.codeFor(to) });
    expect((checked.result as { data: { status: string } }).data.status).toBe("approved");
    await age(3600);
    expect((await verify(s, to)).result).not.toHaveProperty("fallback");

    // An attempt older than a verification's 10-minute life says nothing about the next one.
    await verify(s, us(62));
    await age(11 * 60);
    expect((await verify(s, us(62))).result).not.toHaveProperty("fallback");

    // 0 turns the time-based guidance off.
    await updateIntegration(s.ctx, s.integration.id, { fallback_after_seconds: 0 });
    await verify(s, us(61));
    await age(3600);
    expect((await verify(s, us(61))).result).not.toHaveProperty("fallback");
  }, 60_000);
});
