import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as outboundRoute } from "@/app/api/v2/proxy/outbound/route";
import { getDb } from "@/db";
import { auditEvents, proxiedMessages } from "@/db/schema";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { ACCOUNT, proxySetup, TOKEN } from "@/test/proxy-setup";
import { resetBreakers } from "./breaker";

// The payload's `end_user` (issue #21): per-IP sends and per-id verification checks, limited
// and audited only as keyed hashes; an integration may require it; Twilio never sees it.
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
    sends_per_destination: 100,
    checks_per_destination: 100,
    ...overrides,
  });

const call = (s: Setup, operation: string, payload: Record<string, unknown>) =>
  outboundRoute(
    new NextRequest("http://localhost/api/v2/proxy/outbound", {
      method: "POST",
      headers: { "x-api-key": s.key, "content-type": "application/json" },
      body: JSON.stringify({ integration_id: s.integration.id, operation, payload }),
    }),
  );

const sms = (s: Setup, to: string, endUser?: Record<string, string>) =>
  call(s, "send_sms", { to, body: "hi", ...(endUser ? { end_user: endUser } : {}) });

const check = (s: Setup, to: string, endUser?: Record<string, string>) =>
  call(s, "check_verification", { to, code: "1234", ...(endUser ? { end_user: endUser } : {}) });

const codeOf = async (res: Response) => ((await res.json()) as { code: string }).code;

const eventsOf = (s: Setup) =>
  getDb().select().from(auditEvents).where(eq(auditEvents.tenantId, s.tenantId));

const HASH = /^[0-9a-f]{64}$/;
const IP = "203.0.113.77";
const USER = "customer-8d1f-raw-id";

describe("proxy end_user", () => {
  it("refuses the 6th send from one end-user IP in the window (429, Retry-After, audited by hash); another IP passes", async () => {
    const s = await setup();
    const calls = double.requests.length;
    for (let i = 0; i < 5; i++) {
      expect((await sms(s, `+1415555020${i}`, { ip: IP, id: USER })).status).toBe(200);
    }
    const refused = await sms(s, "+14155550209", { ip: IP });
    expect(refused.status).toBe(429);
    expect(await codeOf(refused)).toBe("rate_limited_end_user_ip");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(500);
    expect(double.requests.length).toBe(calls + 5);
    expect((await sms(s, "+14155550209", { ip: "198.51.100.4" })).status).toBe(200);

    const events = await eventsOf(s);
    const limited = events.filter((e) => e.action === "proxy.rate_limited");
    expect(limited).toHaveLength(1);
    expect(limited[0]?.details).toMatchObject({
      operation: "send_sms",
      reason: "rate_limited_end_user_ip",
    });
    const sent = events.filter((e) => e.action === "proxy.send_sms");
    expect(sent).toHaveLength(6);
    const first = sent[0]?.details as Record<string, unknown>;
    expect(first.end_user_ip_hash).toMatch(HASH);
    expect(first.end_user_id_hash).toMatch(HASH);
    // The refusal names the same end user as the sends (one keyed hash per address).
    expect(limited[0]?.details).toMatchObject({ end_user_ip_hash: first.end_user_ip_hash });
  });

  it("counts IPv6 addresses by their /64", async () => {
    const s = await setup({ end_user_ip_sends: 1 });
    expect((await sms(s, "+14155550211", { ip: "2001:db8:1:2::1" })).status).toBe(200);
    const refused = await sms(s, "+14155550212", { ip: "2001:db8:1:2:ffff::9" });
    expect(refused.status).toBe(429);
    expect(await codeOf(refused)).toBe("rate_limited_end_user_ip");
    expect((await sms(s, "+14155550213", { ip: "2001:db8:1:3::1" })).status).toBe(200);
  });

  it("limits verification checks per end-user id, whatever the numbers", async () => {
    const s = await setup();
    const calls = double.requests.length;
    for (let i = 0; i < 5; i++) {
      const res = await check(s, `+1415555022${i}`, { id: USER });
      expect(res.status).not.toBe(429);
    }
    expect(double.requests.length).toBe(calls + 5);
    const refused = await check(s, "+14155550229", { id: USER, ip: IP });
    expect(refused.status).toBe(429);
    expect(await codeOf(refused)).toBe("rate_limited_end_user_id");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(500);
    expect(double.requests.length).toBe(calls + 5);
    expect((await check(s, "+14155550229", { id: "someone-else" })).status).not.toBe(429);

    const [limited] = (await eventsOf(s)).filter((e) => e.action === "proxy.rate_limited");
    expect(limited?.details).toMatchObject({
      operation: "check_verification",
      reason: "rate_limited_end_user_id",
    });
    expect((limited?.details as Record<string, unknown>).end_user_id_hash).toMatch(HASH);
  });

  it("answers 400 end_user_required when the integration requires it (audited), and passes with it", async () => {
    const s = await setup({ require_end_user: true });
    expect(s.integration.require_end_user).toBe(true);
    const calls = double.requests.length;
    const bare = await sms(s, "+14155550231");
    expect(bare.status).toBe(400);
    expect(await codeOf(bare)).toBe("end_user_required");
    // A send is limited per IP: an id alone does not do.
    const idOnly = await sms(s, "+14155550231", { id: USER });
    expect(await codeOf(idOnly)).toBe("end_user_required");
    // A check is limited per id: an IP alone does not do.
    const ipOnly = await check(s, "+14155550231", { ip: IP });
    expect(await codeOf(ipOnly)).toBe("end_user_required");
    expect(double.requests.length).toBe(calls);
    expect((await sms(s, "+14155550231", { ip: IP })).status).toBe(200);

    const denied = (await eventsOf(s)).filter((e) => e.action === "proxy.denied");
    expect(denied).toHaveLength(3);
    expect(denied[0]?.details).toMatchObject({
      operation: "send_sms",
      reason: "end_user_required",
    });
  });

  it("refuses a malformed end_user (400) before Twilio", async () => {
    const s = await setup();
    const calls = double.requests.length;
    const malformed: Record<string, string>[] = [
      { ip: "127.1" },
      { ip: "fe80::1%eth0" },
      { id: "a\u0000b" },
      {},
    ];
    for (const endUser of malformed) {
      const res = await sms(s, "+14155550241", endUser);
      expect(res.status).toBe(400);
      expect(await codeOf(res)).toBe("invalid_input");
    }
    const long = await sms(s, "+14155550241", { id: "x".repeat(129) });
    expect(long.status).toBe(400);
    expect(double.requests.length).toBe(calls);
  });

  it("never lets the raw ip or id reach Twilio, the audit log or the message rows", async () => {
    const s = await setup({ end_user_ip_sends: 1, end_user_id_checks: 1 });
    const calls = double.requests.length;
    expect((await sms(s, "+14155550251", { ip: IP, id: USER })).status).toBe(200);
    expect((await sms(s, "+14155550252", { ip: IP, id: USER })).status).toBe(429);
    expect(
      (
        await call(s, "create_verification", {
          to: "+14155550253",
          channel: "sms",
          end_user: { ip: "198.51.100.8", id: USER },
        })
      ).status,
    ).toBe(200);
    expect((await check(s, "+14155550253", { ip: IP, id: USER })).status).not.toBe(429);
    expect((await check(s, "+14155550253", { ip: IP, id: USER })).status).toBe(429);

    const seen = JSON.stringify(double.requests.slice(calls));
    expect(double.requests.length).toBe(calls + 3);
    for (const text of ["end_user", "EndUser", IP, "198.51.100.8", USER]) {
      expect(seen).not.toContain(text);
    }
    const events = JSON.stringify(await eventsOf(s));
    expect(events).toContain("end_user_ip_hash");
    for (const text of [IP, "198.51.100.8", USER]) expect(events).not.toContain(text);
    const messages = await getDb()
      .select()
      .from(proxiedMessages)
      .where(eq(proxiedMessages.tenantId, s.tenantId));
    expect(messages).toHaveLength(1);
    const stored = JSON.stringify(messages);
    for (const text of [IP, USER]) expect(stored).not.toContain(text);
  });
});
