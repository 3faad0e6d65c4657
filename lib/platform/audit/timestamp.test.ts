import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTsa, type TestTsa } from "@/tools/test-tsa/tsa";
import { requestTimestamp } from "./timestamp";
import { checkTimestampImprint, verifyTimestamp } from "./timestamp-token";

const message = new TextEncoder().encode("pqseal-audit-checkpoint-v1\nten_x\n4\nabc\n2026-01-01");
let tsa: TestTsa;
let other: TestTsa;

beforeAll(async () => {
  [tsa, other] = await Promise.all([startTestTsa(), startTestTsa()]);
});
afterAll(async () => {
  await Promise.all([tsa.close(), other.close()]);
});

describe("requestTimestamp (RFC 3161, against an OpenSSL TSA)", () => {
  it("gets a token over SHA-256 of the message that verifies against the TSA's root", async () => {
    tsa.fault = null;
    const before = Date.now() - 2000;
    const { token, genTime } = await requestTimestamp(tsa.url, message);
    expect(Date.parse(genTime)).toBeGreaterThanOrEqual(before);
    expect(await verifyTimestamp(token, message, tsa.certPem)).toEqual({ ok: true, genTime });
    expect(checkTimestampImprint(token, message)).toEqual({ ok: true, genTime });
  });

  it("does not verify for another message, another root or an altered token", async () => {
    tsa.fault = null;
    const { token } = await requestTimestamp(tsa.url, message);
    const tampered = new TextEncoder().encode("pqseal-audit-checkpoint-v1\nten_x\n5\nabc\n2026");
    const imprint = { ok: false, problem: expect.stringMatching(/imprint/) as unknown };
    expect(await verifyTimestamp(token, tampered, tsa.certPem)).toEqual(imprint);
    expect(checkTimestampImprint(token, tampered)).toEqual(imprint);
    const foreign = await verifyTimestamp(token, message, other.certPem);
    expect(foreign).toEqual({
      ok: false,
      problem: expect.stringMatching(/certificate/) as unknown,
    });
    // Flip one byte of the signature at the end of the token.
    const der = Buffer.from(token, "base64");
    der[der.length - 3] = (der[der.length - 3] ?? 0) ^ 1;
    const flipped = await verifyTimestamp(der.toString("base64"), message, tsa.certPem);
    expect(flipped).toEqual({ ok: false, problem: "the timestamp signature is not valid" });
    expect(checkTimestampImprint("bm90IGEgdG9rZW4=", message)).toMatchObject({ ok: false });
  });

  it.each([
    ["rejection", /refused \(status 2\)/],
    ["wrong-nonce", /nonce is not ours/],
    ["wrong-imprint", /another message/],
    ["garbage", /not DER/],
    ["http-500", /answered 500/],
  ] as const)("refuses an answer with %s", async (fault, error) => {
    tsa.fault = fault;
    await expect(requestTimestamp(tsa.url, message)).rejects.toThrow(error);
    tsa.fault = null;
  });

  it("fails (does not hang) when nothing listens", async () => {
    const down = await startTestTsa();
    await down.close();
    await expect(requestTimestamp(down.url, message)).rejects.toThrow();
  });
});
