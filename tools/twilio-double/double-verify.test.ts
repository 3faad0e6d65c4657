import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwilioDouble, type TwilioDouble } from "./double";

// The double's Verify v2 as Twilio documents it: five checks of a verification are answered,
// a sixth is refused with 60202 (HTTP 429); an approved, expired or locked verification is
// deleted (fetch answers 20404); a pending one can be fetched and canceled.

const ACCOUNT = `AC${"4a".repeat(16)}`;
const TOKEN = "doubleVerifyTestToken00000000001";
const SERVICE = `VA${"5b".repeat(16)}`;

let double: TwilioDouble;
beforeAll(async () => {
  double = await startTwilioDouble({ accounts: [{ sid: ACCOUNT, authToken: TOKEN }] });
});
afterAll(() => double.close());

async function call(path: string, form?: Record<string, string>) {
  const res = await fetch(`${double.url}/v2/Services/${SERVICE}/${path}`, {
    method: form ? "POST" : "GET",
    headers: {
      authorization: `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString("base64")}`,
      ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const start = async (to: string) =>
  (await call("Verifications", { To: to, Channel: "sms" })).body as { sid: string };
const wrongCode = (to: string) => (double.codeFor(to) === "000000" ? "111111" : "000000");

describe("Twilio double: Verify", () => {
  it("answers five wrong checks, the fifth ending the verification; then 60202 (429)", async () => {
    const to = "+14155550161";
    const { sid } = await start(to);
    const statuses: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const check = await call("VerificationCheck", { To: to, Code: wrongCode(to) });
      expect(check.status).toBe(200);
      expect(check.body.valid).toBe(false);
      statuses.push(check.body.status);
    }
    expect(statuses).toEqual(["pending", "pending", "pending", "pending", "max_attempts_reached"]);
    // Even the right code is refused now, by number and by SID.
    const right = double.codeFor(to) ?? "";
    const sixth = await call("VerificationCheck", { To: to, Code: right });
    expect([sixth.status, sixth.body.code]).toEqual([429, 60202]);
    const bySid = await call("VerificationCheck", { VerificationSid: sid, Code: right });
    expect([bySid.status, bySid.body.code]).toEqual([429, 60202]);
    expect((await call(`Verifications/${sid}`)).body.code).toBe(20404);
  });

  it("approves the right code within five checks; an approved verification is gone", async () => {
    const to = "+14155550162";
    const { sid } = await start(to);
    for (let i = 0; i < 4; i++) await call("VerificationCheck", { To: to, Code: wrongCode(to) });
    const fetched = await call(`Verifications/${sid}`);
    expect([fetched.status, fetched.body.status]).toEqual([200, "pending"]);
    const fifth = await call("VerificationCheck", { To: to, Code: double.codeFor(to) ?? "" });
    expect([fifth.status, fifth.body.status, fifth.body.valid]).toEqual([200, "approved", true]);
    const gone = await call(`Verifications/${sid}`);
    expect([gone.status, gone.body.code]).toEqual([404, 20404]);
    const again = await call("VerificationCheck", { To: to, Code: double.codeFor(to) ?? "" });
    expect([again.status, again.body.code]).toEqual([404, 20404]);
  });

  it("cancels a pending verification (Status=canceled); checks then find none", async () => {
    const to = "+14155550163";
    const { sid } = await start(to);
    const canceled = await call(`Verifications/${sid}`, { Status: "canceled" });
    expect([canceled.status, canceled.body.status]).toEqual([200, "canceled"]);
    const twice = await call(`Verifications/${sid}`, { Status: "canceled" });
    expect([twice.status, twice.body.code]).toEqual([404, 20404]);
    const check = await call("VerificationCheck", { To: to, Code: double.codeFor(to) ?? "" });
    expect([check.status, check.body.code]).toEqual([404, 20404]);
    const unknown = await call(`Verifications/VE${"0".repeat(32)}`);
    expect([unknown.status, unknown.body.code]).toEqual([404, 20404]);
  });
});
