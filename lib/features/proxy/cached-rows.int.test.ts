import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { ACCOUNT, proxySetup, TOKEN } from "@/test/proxy-setup";
import { resetBreakers } from "./breaker";

// The proxy's hot path reads the API key and the integration from this process's caches. These
// tests change the rows behind the caches' backs, as another instance (or a person with psql)
// would, and show that no request is decided on the old rows.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

const TO = "+14155550123";
let double: TwilioDouble;
beforeAll(async () => {
  double = await startTwilioDouble({
    port: Number(process.env.TWILIO_DOUBLE_PORT),
    accounts: [{ sid: ACCOUNT, authToken: TOKEN }],
  });
});
afterAll(() => double.close());
beforeEach(() => resetBreakers());

type Setup = Awaited<ReturnType<typeof setup>>;
const setup = (overrides: Parameters<typeof proxySetup>[1] = {}) =>
  proxySetup((user) => (session.user = user), overrides);

const send = (s: Setup, operation: string, payload: Record<string, unknown>, key?: string) =>
  s.client.proxy.outbound(
    { integration_id: s.integration.id, operation, payload },
    key ? { idempotencyKey: key } : {},
  );

const revokeElsewhere = (s: Setup) =>
  getDb().execute(sql`update api_keys set revoked_at = now() where id = ${s.keyId}`);

const setOperationsElsewhere = (s: Setup, operations: string[]) =>
  getDb().execute(
    sql`update integrations set allowed_operations = ${sql.raw(`array[${operations.map((o) => `'${o}'`).join(",")}]::text[]`)} where id = ${s.integration.id}`,
  );

const denials = async (s: Setup) =>
  (
    await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, s.tenantId), eq(auditEvents.action, "proxy.denied")))
  ).length;

describe("proxy decisions on cached rows", () => {
  it("refuses a key revoked elsewhere with 401 on its next request, before Twilio", async () => {
    const s = await setup();
    expect((await send(s, "send_sms", { to: TO, body: "first" })).success).toBe(true);
    await revokeElsewhere(s);
    const calls = double.requests.length;
    await expect(send(s, "send_sms", { to: TO, body: "second" })).rejects.toMatchObject({
      status: 401,
      code: "unauthenticated",
    });
    expect(double.requests.length).toBe(calls);
  });

  it("answers a revoked key 401, not the refusal its request would have had", async () => {
    const s = await setup();
    await send(s, "send_sms", { to: TO, body: "first" });
    await revokeElsewhere(s);
    const before = await denials(s);
    // Not allowed on the integration: a live key would get 403, audited as a denial.
    await expect(send(s, "make_call", { to: TO, twiml: "<Response/>" })).rejects.toMatchObject({
      status: 401,
    });
    // An invalid number: a live key would get 400.
    await expect(send(s, "send_sms", { to: "+1", body: "x" })).rejects.toMatchObject({
      status: 401,
    });
    expect(await denials(s)).toBe(before);
  });

  it("does not hand a stored idempotent result to a key revoked since", async () => {
    const s = await setup();
    const first = await send(s, "send_sms", { to: TO, body: "once" }, "order-1");
    expect(first.success).toBe(true);
    await revokeElsewhere(s);
    await expect(send(s, "send_sms", { to: TO, body: "once" }, "order-1")).rejects.toMatchObject({
      status: 401,
    });
  });

  it("applies an operation removed elsewhere to the next request (403, audited)", async () => {
    const s = await setup({ allowed_operations: ["send_sms", "list_messages"] });
    await send(s, "send_sms", { to: TO, body: "first" });
    await setOperationsElsewhere(s, ["list_messages"]);
    const calls = double.requests.length;
    const before = await denials(s);
    await expect(send(s, "send_sms", { to: TO, body: "second" })).rejects.toMatchObject({
      status: 403,
      code: "operation_not_allowed",
    });
    expect(double.requests.length).toBe(calls);
    expect(await denials(s)).toBe(before + 1);
  });

  it("allows an operation added elsewhere at once, though the cached row refused it", async () => {
    const s = await setup();
    await send(s, "send_sms", { to: TO, body: "first" });
    await setOperationsElsewhere(s, ["send_sms", "make_call"]);
    const before = await denials(s);
    const call = await send(s, "make_call", { to: TO, twiml: "<Response/>" });
    expect(call.success).toBe(true);
    expect(await denials(s)).toBe(before);
  });

  it("stops sending at once when the integration is disabled elsewhere", async () => {
    const s = await setup();
    await send(s, "send_sms", { to: TO, body: "first" });
    await getDb().execute(
      sql`update integrations set enabled = false where id = ${s.integration.id}`,
    );
    await expect(send(s, "send_sms", { to: TO, body: "second" })).rejects.toMatchObject({
      status: 403,
      code: "integration_disabled",
    });
  });
});
