import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { MAX_RETRY_AFTER_SECONDS, retryAfterSeconds } from "./retry-after";
import { newForwardSecret, standardWebhookHeaders } from "./standard-webhooks";

describe("Standard Webhooks signatures", () => {
  it("matches the reference libraries' test vector", () => {
    // The vector every official library tests against (svix / standard-webhooks).
    const headers = standardWebhookHeaders(
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      '{"test": 2432232314}',
      ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
      new Date(1614265330 * 1000),
    );
    expect(headers).toEqual({
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    });
  });

  it("makes whsec_ secrets that the stock verifier reads, and signs with each active secret", () => {
    const current = newForwardSecret();
    const previous = newForwardSecret();
    expect(current).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({ hello: "world" });
    const headers = standardWebhookHeaders("whe_1", body, [current, previous]);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toEqual({ hello: "world" });
    expect(new Webhook(previous).verify(body, headers)).toEqual({ hello: "world" });
    expect(() => new Webhook(newForwardSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(`${body} `, headers)).toThrow();
  });

  it("signs with a base64url secret made before #17 as with the same bytes in base64", () => {
    const bytes = randomBytes(32);
    const legacy = `whsec_${bytes.toString("base64url")}`;
    const body = "{}";
    const headers = standardWebhookHeaders("whe_2", body, [legacy]);
    expect(() =>
      new Webhook(`whsec_${bytes.toString("base64")}`).verify(body, headers),
    ).not.toThrow();
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    ["120", 120],
    [" 7 ", 7],
    ["0", 1],
    ["Thu, 01 Jan 2026 00:05:00 GMT", 300],
    ["Wed, 31 Dec 2025 23:00:00 GMT", 1],
    ["999999999", MAX_RETRY_AFTER_SECONDS],
    ["Sat, 01 Jan 2028 00:00:00 GMT", MAX_RETRY_AFTER_SECONDS],
  ])("reads %j as %d s", (value, seconds) => {
    expect(retryAfterSeconds(value, now)).toBe(seconds);
  });
  it.each([null, "", "soon", "-5", "1.5"])("ignores %j", (value) => {
    expect(retryAfterSeconds(value, now)).toBeNull();
  });
});
