import { describe, expect, it } from "vitest";
import {
  EnvelopeError,
  PqsealApiError,
  PqsealNetworkError,
  PqsealTimeoutError,
} from "@/lib/shared/sdk/index";
import { describeFailure } from "./report-error";

const KEY = "7b0c6f0e-2d7e-4a55-9f57-4b1f3d2b9a10";

describe("send-sms example: what a person reads when a call fails", () => {
  it("names a refused signing key, what to check, and how to retry without a second SMS", () => {
    const { line, exitCode } = describeFailure(
      new EnvelopeError("key_not_endorsed", "sgk_01JDROGUE00000000000000000"),
      KEY,
    );
    expect(exitCode).toBe(3);
    expect(line).not.toContain("\n");
    expect(line).not.toMatch(/\bat .+:\d+:\d+/); // no stack frames
    expect(line).toContain("(key_not_endorsed)");
    expect(line).toContain("sgk_01JDROGUE00000000000000000");
    expect(line).toMatch(/fingerprint/);
    expect(line).toContain(`--idempotency-key ${KEY}`);
    expect(line).not.toMatch(/envelope rejected \(/);
  });

  it.each(["unknown_signing_key", "signature_invalid", "envelope_stale"] as const)(
    "gives %s its own code and advice",
    (code) => {
      const { line } = describeFailure(new EnvelopeError(code, "sgk_x"), KEY);
      expect(line).toContain(`(${code})`);
      expect(line).toContain(new EnvelopeError(code, "sgk_x").remediation);
    },
  );

  it("prints a plain refusal as its JSON error, and anything else as one line", () => {
    expect(
      describeFailure(new PqsealApiError(403, "operation_not_allowed", "Not allowed."), KEY).line,
    ).toBe('{"status":403,"code":"operation_not_allowed","message":"Not allowed."}');
    const other = describeFailure(new Error("socket hang up\n    at x (y.js:1:2)"), KEY);
    expect(other.line).not.toContain("\n");
    expect(other.line).toMatch(/^Unexpected failure: socket hang up/);
  });

  it("says a timeout or a lost connection may have sent the SMS, and how to retry safely", () => {
    for (const error of [
      new PqsealTimeoutError(30_000, 3),
      new PqsealNetworkError(1, { cause: new TypeError("fetch failed") }),
    ]) {
      const { line, exitCode } = describeFailure(error, KEY);
      expect(exitCode).toBe(4);
      expect(line).toMatch(
        /^PQSEAL (did not answer within 30000 ms \(3 attempts\)|could not be reached \(1 attempt\))/,
      );
      expect(line).toContain(`--idempotency-key ${KEY}`);
    }
  });

  it("tells a refusal that does not settle the outcome (409 in progress) to retry with the same key", () => {
    const error = new PqsealApiError(409, "idempotency_in_progress", "Still running.");
    const { line, exitCode } = describeFailure(error, KEY);
    expect(exitCode).toBe(4);
    expect(line).toContain(`--idempotency-key ${KEY}`);
  });
});
