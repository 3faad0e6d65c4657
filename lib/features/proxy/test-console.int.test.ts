import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Operation } from "@/lib/features/integrations/schemas";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { AppError } from "@/lib/platform/errors/app-error";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { addMember, createTestUser, testSession } from "@/test/factories";
import { ACCOUNT, proxySetup, TOKEN } from "@/test/proxy-setup";
import { runConsoleAction } from "./actions";
import { resetBreakers } from "./breaker";
import { runConsoleOperation, type ConsoleResult } from "./test-console";

// The test console tells the truth: a check Twilio answered `pending` is a wrong code (with the
// checks left, counted from the audit log whoever made them), a refusal says when to retry, a
// failure names its code, and only members who may read the audit log get a link to the event.

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

const VERIFY_OPS: Operation[] = [
  "create_verification",
  "check_verification",
  "fetch_verification",
  "cancel_verification",
];
type Setup = Awaited<ReturnType<typeof setup>>;
const setup = (overrides: Parameters<typeof proxySetup>[1] = {}) =>
  proxySetup((user) => (session.user = user), overrides);

const run = (
  s: Setup,
  operation: ConsoleResult["operation"],
  payload: Record<string, unknown>,
  ctx = s.ctx,
) => runConsoleOperation(ctx, { integration_id: s.integration.id, operation, payload });

const wrong = (to: string) => (double.codeFor(to) === "000000" ? "111111" : "000000");

describe("test console: Verify", () => {
  it("shows a wrong code as not accepted with the attempts left, and the right one as approved", async () => {
    const s = await setup({ allowed_operations: VERIFY_OPS });
    const to = "+14155550171";
    const started = await run(s, "create_verification", { to, channel: "sms" });
    expect(started.outcome).toMatchObject({
      ok: true,
      headline: "Start verification succeeded (status pending) — 5 code checks left",
      verification: { status: "pending", attemptsLeft: 5 },
    });
    const sid = started.outcome.verification?.sid ?? "";
    expect(sid).toMatch(/^VE[0-9a-f]{32}$/);

    const first = await run(s, "check_verification", { to, code: wrong(to) });
    expect(first.status).toBe(200);
    expect(first.outcome).toMatchObject({
      ok: false,
      headline: "Code not accepted (status pending) — 4 attempts left",
      error: { code: "code_not_accepted" },
      verification: { sid, status: "pending", attemptsLeft: 4 },
    });
    expect(first.result).toMatchObject({ data: { status: "pending", valid: false } });
    // A check made with an API key counts too (the audit log records every answered check).
    await s.client.proxy.outbound({
      integration_id: s.integration.id,
      operation: "check_verification",
      payload: { to, code: wrong(to) },
    });
    const fetched = await run(s, "fetch_verification", { verification_sid: sid });
    expect(fetched.outcome.headline).toBe(
      "Fetch verification succeeded (status pending) — 3 code checks left",
    );

    const right = await run(s, "check_verification", { to, code: double.codeFor(to) });
    expect(right.outcome).toMatchObject({ ok: true, headline: "Code approved", error: null });
    // Twilio deletes an approved verification: fetching it fails with its code and remedy.
    const gone = await run(s, "fetch_verification", { verification_sid: sid });
    expect(gone.outcome).toMatchObject({
      ok: false,
      headline: "Fetch verification failed (HTTP 404, twilio_20404)",
      error: { code: "twilio_20404", remediation: expect.any(String) as string },
    });
  });

  it("answers the form with ok: false for a wrong code and ok: true for the right one", async () => {
    const s = await setup({ allowed_operations: VERIFY_OPS });
    const to = "+14155550172";
    const form = (fields: Record<string, string>) => {
      const data = new FormData();
      data.set("tenantId", s.tenantId);
      data.set("integration_id", s.integration.id);
      for (const [k, v] of Object.entries(fields)) data.set(k, v);
      return data;
    };
    const started = await runConsoleAction(
      {},
      form({ operation: "create_verification", to, channel: "sms" }),
    );
    expect(started.ok).toBe(true);
    const refused = await runConsoleAction(
      {},
      form({ operation: "check_verification", to, code: wrong(to) }),
    );
    expect(refused).toMatchObject({ ok: false, data: { outcome: { ok: false } } });
    expect(refused.data?.outcome.headline).toMatch(/^Code not accepted .* 4 attempts left$/);
    expect(refused.message).toBeUndefined();
    const approved = await runConsoleAction(
      {},
      form({ operation: "check_verification", to, code: double.codeFor(to) ?? "" }),
    );
    expect(approved).toMatchObject({ ok: true, data: { outcome: { headline: "Code approved" } } });
  });

  it("counts down to no attempts left; then Twilio's 60202 says when the verification expires", async () => {
    const s = await setup({ allowed_operations: VERIFY_OPS, checks_per_destination: 10 });
    const to = "+14155550173";
    const started = await run(s, "create_verification", { to, channel: "sms" });
    const headlines: string[] = [];
    for (let i = 0; i < 5; i++) {
      headlines.push(
        (await run(s, "check_verification", { to, code: wrong(to) })).outcome.headline,
      );
    }
    expect(headlines).toEqual([
      "Code not accepted (status pending) — 4 attempts left",
      "Code not accepted (status pending) — 3 attempts left",
      "Code not accepted (status pending) — 2 attempts left",
      "Code not accepted (status pending) — 1 attempt left",
      "Code not accepted (status max_attempts_reached) — 0 attempts left",
    ]);
    const locked = await run(s, "check_verification", { to, code: double.codeFor(to) });
    expect(locked.status).toBe(429);
    expect(locked.outcome).toMatchObject({
      ok: false,
      headline: "Check code failed (HTTP 429, twilio_60202)",
      retry: { approximate: false },
    });
    // Ten minutes after the verification was created (give or take the test's own run time).
    const created = Date.parse(
      (started.result as { data: { date_created: string } }).data.date_created,
    );
    const at = Date.parse(locked.outcome.retry?.at ?? "");
    expect(Math.abs(at - (created + 600_000))).toBeLessThan(10_000);
    expect(locked.outcome.retry?.afterSeconds).toBeGreaterThan(500);
  });

  it("says when PQSEAL's own check limit lets a check through again (429 rate_limited)", async () => {
    const s = await setup({ allowed_operations: VERIFY_OPS, checks_per_destination: 1 });
    const to = "+14155550174";
    await run(s, "create_verification", { to, channel: "sms" });
    await run(s, "check_verification", { to, code: wrong(to) });
    const before = Date.now();
    const limited = await run(s, "check_verification", { to, code: wrong(to) });
    expect(limited).toMatchObject({
      status: 429,
      verified: false,
      requestId: null,
      outcome: {
        ok: false,
        headline: "Check code failed (HTTP 429, rate_limited_verification_checks)",
        error: { code: "rate_limited_verification_checks" },
        retry: { approximate: false },
      },
    });
    const retry = limited.outcome.retry;
    expect(retry?.afterSeconds).toBeGreaterThan(500);
    expect(retry?.afterSeconds).toBeLessThanOrEqual(600);
    const at = Date.parse(retry?.at ?? "");
    expect(at - before).toBeGreaterThanOrEqual((retry?.afterSeconds ?? 0) * 1000 - 1000);
  });

  it("estimates when Twilio's 60203 (too many sends) clears, from the first verification", async () => {
    const s = await setup({ allowed_operations: VERIFY_OPS, sends_per_destination: 10 });
    const to = "+14155550175";
    for (let i = 0; i < 5; i++) await run(s, "create_verification", { to, channel: "sms" });
    const sixth = await run(s, "create_verification", { to, channel: "sms" });
    expect(sixth.outcome).toMatchObject({
      ok: false,
      headline: "Start verification failed (HTTP 429, twilio_60203)",
      retry: { approximate: true },
    });
    expect(sixth.outcome.retry?.afterSeconds).toBeGreaterThan(500);
  });

  it("cancels a verification; a canceled one is no longer checked", async () => {
    const s = await setup({ allowed_operations: VERIFY_OPS });
    const to = "+14155550176";
    const sid =
      (await run(s, "create_verification", { to, channel: "sms" })).outcome.verification?.sid ?? "";
    const canceled = await run(s, "cancel_verification", { verification_sid: sid });
    expect(canceled.outcome).toMatchObject({
      ok: true,
      headline: "Cancel verification succeeded (status canceled)",
      verification: { sid, status: "canceled", attemptsLeft: null },
    });
    const check = await run(s, "check_verification", { to, code: double.codeFor(to) });
    expect(check.outcome.error?.code).toBe("twilio_20404");
  });
});

describe("test console: other outcomes", () => {
  it("names Twilio's error and what to do when a send fails", async () => {
    const s = await setup();
    const failed = await run(s, "send_sms", { to: "+15005550001", body: "hi" });
    expect(failed.verified).toBe(true);
    expect(failed.outcome).toMatchObject({
      ok: false,
      headline: "Send SMS failed (HTTP 400, twilio_21211)",
      error: {
        code: "twilio_21211",
        message: "The 'to' number is not a valid phone number for Twilio.",
        remediation: "Check the number.",
      },
      retry: null,
    });
    const sent = await run(s, "send_sms", { to: "+14155550177", body: "hi" });
    expect(sent.outcome).toMatchObject({ ok: true, headline: "Send SMS succeeded", error: null });
    expect(JSON.stringify(sent)).not.toContain("5550177");
  });

  it("refuses an operation the integration does not allow, as a failure with its code", async () => {
    const s = await setup({ allowed_operations: ["send_sms"] });
    const refused = await run(s, "make_call", { to: "+14155550178", twiml: "<Response/>" });
    expect(refused.outcome).toMatchObject({
      ok: false,
      headline: "Make call failed (HTTP 403, operation_not_allowed)",
      error: { code: "operation_not_allowed", remediation: expect.any(String) as string },
    });
  });

  it("says when a send may be retried after the per-destination limit (429 with Retry-After)", async () => {
    const s = await setup({ sends_per_destination: 1 });
    const to = "+14155550179";
    expect((await run(s, "send_sms", { to, body: "1" })).outcome.ok).toBe(true);
    const limited = await run(s, "send_sms", { to, body: "2" });
    expect(limited.outcome).toMatchObject({
      headline: "Send SMS failed (HTTP 429, rate_limited_destination)",
      retry: { approximate: false },
    });
    expect(limited.outcome.retry?.afterSeconds).toBeGreaterThan(0);
  });

  it("files a bad number under the form's own field, beside the input", async () => {
    const s = await setup();
    const error = await run(s, "send_sms", { to: "+1415", body: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).options.fieldErrors).toEqual({ to: [expect.any(String)] });
    const data = new FormData();
    for (const [k, v] of Object.entries({
      tenantId: s.tenantId,
      integration_id: s.integration.id,
      operation: "send_sms",
      to: "+1415",
      body: "x",
    }))
      data.set(k, v);
    const state = await runConsoleAction({}, data);
    expect(state.errors?.to).toHaveLength(1);
    expect(state.message).toBe("Please correct the highlighted fields.");
  });

  it("links the audit event only for members who may read the audit log", async () => {
    const s = await setup();
    const owner = await run(s, "send_sms", { to: "+14155550180", body: "a" });
    expect(owner.auditEventReadable).toBe(true);
    expect(owner.auditEventId).toMatch(/^aud_/);
    const operator = await createTestUser("operator");
    await addMember(s.tenantId, operator.id, "operator");
    session.user = testSession(operator, "ses_op");
    const ctx = await resolveTenant(s.tenantId, "console:use");
    const asOperator = await run(s, "send_sms", { to: "+14155550181", body: "b" }, ctx);
    expect(asOperator.outcome.ok).toBe(true);
    expect(asOperator.auditEventReadable).toBe(false);
    expect(asOperator.auditEventId).toMatch(/^aud_/);
  });
});
