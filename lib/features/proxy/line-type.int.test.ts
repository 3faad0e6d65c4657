import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as outboundRoute } from "@/app/api/v2/proxy/outbound/route";
import { getDb } from "@/db";
import { auditEvents, lineTypeLookups } from "@/db/schema";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { ACCOUNT, proxySetup, TOKEN } from "@/test/proxy-setup";
import { resetBreakers } from "./breaker";

// Line types (issue #21): the lookup_number operation (Lookup v2 through the SDK), and the
// integration policy that looks up the destination before SMS and voice verification, cached
// per keyed number hash. The double decides line types by the last four digits: …0001
// landline, …0002 nonFixedVoip, anything else mobile.
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
    allowed_operations: ["send_sms", "create_verification"],
    sends_per_destination: 100,
    line_type_check: true,
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
const sms = (s: Setup, to: string) => call(s, "send_sms", { to, body: "hi" });
const verification = (s: Setup, to: string, channel: string) =>
  call(s, "create_verification", { to, channel });

const errorOf = async (res: Response) =>
  (await res.json()) as { code: string; remediation?: string };
const lookups = () => double.requests.filter((r) => r.path.startsWith("/v2/PhoneNumbers/"));
const sends = () => double.requests.filter((r) => r.path.endsWith("/Messages.json"));
const eventsOf = (s: Setup) =>
  getDb().select().from(auditEvents).where(eq(auditEvents.tenantId, s.tenantId));

const LANDLINE = "+14155550001";
const VOIP = "+14155550002";
const MOBILE = "+14155550177";

describe("line-type policy", () => {
  it("refuses a landline for SMS (422 landline_not_sms_capable, remediation: channel call), audited; voice verification passes", async () => {
    const s = await setup();
    const before = sends().length;
    const refused = await sms(s, LANDLINE);
    expect(refused.status).toBe(422);
    const error = await errorOf(refused);
    expect(error.code).toBe("landline_not_sms_capable");
    expect(error.remediation).toContain('channel: "call"');
    expect(sends().length).toBe(before);

    const bySms = await verification(s, LANDLINE, "sms");
    expect(bySms.status).toBe(422);
    expect((await errorOf(bySms)).code).toBe("landline_not_sms_capable");
    expect((await verification(s, LANDLINE, "call")).status).toBe(200);

    const denials = (await eventsOf(s)).filter((e) => e.action === "proxy.denied");
    expect(denials.map((e) => e.details)).toEqual([
      { operation: "send_sms", reason: "landline_not_sms_capable", line_type: "landline" },
      {
        operation: "create_verification",
        reason: "landline_not_sms_capable",
        line_type: "landline",
      },
    ]);
    expect(denials[0]?.destinationLast2).toBe("01");
  });

  it("refuses a non-fixed VoIP number with voip_policy refuse (403 voip_not_allowed)", async () => {
    const s = await setup({ voip_policy: "refuse" });
    const before = sends().length;
    const refused = await sms(s, VOIP);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe("voip_not_allowed");
    expect(sends().length).toBe(before);
    expect((await verification(s, VOIP, "call")).status).toBe(403);
    expect((await sms(s, MOBILE)).status).toBe(200);
  });

  it("lets a VoIP number through with voip_policy flag (the default), flagged in the audit event", async () => {
    const s = await setup();
    expect(s.integration.voip_policy).toBe("flag");
    expect((await sms(s, VOIP)).status).toBe(200);
    expect((await sms(s, MOBILE)).status).toBe(200);
    const sent = (await eventsOf(s)).filter((e) => e.action === "proxy.send_sms");
    expect(sent).toHaveLength(2);
    expect(sent[0]?.details).toMatchObject({ line_type: "nonFixedVoip", flagged: "voip" });
    expect(sent[1]?.details).toMatchObject({ line_type: "mobile" });
    expect(sent[1]?.details).not.toHaveProperty("flagged");
  });

  it("allows VoIP without a flag under voip_policy allow; no lookup without line_type_check", async () => {
    const s = await setup({ voip_policy: "allow" });
    expect((await sms(s, VOIP)).status).toBe(200);
    const [sent] = (await eventsOf(s)).filter((e) => e.action === "proxy.send_sms");
    expect(sent?.details).toMatchObject({ line_type: "nonFixedVoip" });
    expect(sent?.details).not.toHaveProperty("flagged");

    const off = await setup({ line_type_check: false });
    const before = lookups().length;
    expect((await sms(off, "+14155550201")).status).toBe(200);
    expect(lookups().length).toBe(before);
  });

  it("looks a number up once per line_type_cache_hours, keeping only its keyed hash", async () => {
    const s = await setup();
    const before = lookups().length;
    expect((await sms(s, LANDLINE)).status).toBe(422);
    expect((await sms(s, LANDLINE)).status).toBe(422);
    expect((await verification(s, LANDLINE, "call")).status).toBe(200);
    expect(lookups().length).toBe(before + 1);

    const rows = await getDb()
      .select()
      .from(lineTypeLookups)
      .where(eq(lineTypeLookups.tenantId, s.tenantId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ lineType: "landline", carrier: "Double Landline Co" });
    expect(rows[0]?.numberHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain("4155550001");

    // Older than the cache period: looked up again.
    await getDb()
      .update(lineTypeLookups)
      .set({ lookedUpAt: new Date(Date.now() - 25 * 3_600_000) })
      .where(eq(lineTypeLookups.tenantId, s.tenantId));
    expect((await sms(s, LANDLINE)).status).toBe(422);
    expect(lookups().length).toBe(before + 2);

    // Another tenant has its own cache (and its own keyed hash).
    const other = await setup();
    expect((await sms(other, LANDLINE)).status).toBe(422);
    expect(lookups().length).toBe(before + 3);
  });
});

describe("lookup_number", () => {
  it("is refused unless allowed (default deny), audited", async () => {
    const s = await setup({ line_type_check: false });
    const before = lookups().length;
    const refused = await call(s, "lookup_number", { phone_number: MOBILE });
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe("operation_not_allowed");
    expect(lookups().length).toBe(before);
    const [denial] = (await eventsOf(s)).filter((e) => e.action === "proxy.denied");
    expect(denial?.details).toMatchObject({
      operation: "lookup_number",
      reason: "operation_not_allowed",
    });
  });

  it("answers the line type, carrier and country through Lookup v2; the audit keeps no number", async () => {
    const s = await setup({ allowed_operations: ["lookup_number"], line_type_check: false });
    const result = await s.client.proxy.outbound({
      integration_id: s.integration.id,
      operation: "lookup_number",
      payload: { phone_number: "+1 415 555 0002" },
    });
    expect(result.success).toBe(true);
    expect(result.result.data).toMatchObject({
      phone_number: VOIP,
      line_type: "nonFixedVoip",
      carrier_name: "Double VoIP Inc",
      country_code: "US",
    });
    const last = lookups().at(-1);
    expect(last?.path).toBe(`/v2/PhoneNumbers/${VOIP}`);
    expect(last?.params).toMatchObject({ Fields: "line_type_intelligence" });

    const [event] = (await eventsOf(s)).filter((e) => e.action === "proxy.lookup_number");
    expect(event?.details).toMatchObject({ line_type: "nonFixedVoip" });
    expect(event?.destinationLast2).toBe("02");
    expect(JSON.stringify(event)).not.toContain("4155550002");
    const [row] = await getDb()
      .select()
      .from(lineTypeLookups)
      .where(eq(lineTypeLookups.tenantId, s.tenantId));
    expect(row?.lineType).toBe("nonFixedVoip");
  });
});
