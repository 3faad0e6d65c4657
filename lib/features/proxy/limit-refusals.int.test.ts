import { and, eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as outboundRoute } from "@/app/api/v2/proxy/outbound/route";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { ACCOUNT, proxySetup, TOKEN } from "@/test/proxy-setup";
import { resetBreakers } from "./breaker";

// Limit refusals reach the audit log (SMS pumping shows up there and in the dashboard's denial
// count), and the proxy answers the IETF RateLimit headers beside Retry-After.
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
  proxySetup((user) => (session.user = user), overrides);

const sendRaw = (s: Setup, to: string) =>
  outboundRoute(
    new NextRequest("http://localhost/api/v2/proxy/outbound", {
      method: "POST",
      headers: { "x-api-key": s.key, "content-type": "application/json" },
      body: JSON.stringify({
        integration_id: s.integration.id,
        operation: "send_sms",
        payload: { to, body: "hi" },
      }),
    }),
  );

const eventsOf = (s: Setup, action: string) =>
  getDb()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, s.tenantId), eq(auditEvents.action, action)));

describe("proxy limit refusals", () => {
  it("audits the send over the per-destination limit, with the number's last two digits only", async () => {
    const s = await setup({ sends_per_destination: 1 });
    const ok = await sendRaw(s, "+14155550142");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("ratelimit-policy")).toBe('"integration";q=50;w=1');
    expect(ok.headers.get("ratelimit")).toMatch(/^"integration";r=49;t=\d+$/);
    const refused = await sendRaw(s, "+14155550142");
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { code: string }).code).toBe("rate_limited_destination");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(500);
    const [event] = await eventsOf(s, "proxy.rate_limited");
    expect(event).toMatchObject({
      outcome: "denied",
      integrationId: s.integration.id,
      destinationLast2: "42",
    });
    expect(event?.details).toMatchObject({
      operation: "send_sms",
      reason: "rate_limited_destination",
    });
    expect(JSON.stringify(event)).not.toContain("5550142");
  });

  it("takes the key's own rate in the same statement, refuses over it, audited", async () => {
    const s = await setup();
    await getDb().execute(
      sql`update api_keys set rate_per_second = 1, burst = 1 where id = ${s.keyId}`,
    );
    const calls = double.requests.length;
    const first = await sendRaw(s, "+14155550101");
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit-policy")).toBe('"key";q=1;w=1, "integration";q=50;w=1');
    expect(first.headers.get("ratelimit")).toMatch(/^"key";r=0;t=\d+$/);
    const second = await sendRaw(s, "+14155550102");
    expect(second.status).toBe(429);
    expect(double.requests.length).toBe(calls + 1);
    const [event] = await eventsOf(s, "proxy.rate_limited");
    expect(event?.details).toMatchObject({ reason: "rate_limited_api_key" });
  });
});
