import { describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { AppError } from "@/lib/platform/errors/app-error";
import { isId } from "@/lib/shared/ids";
import { withRequestId } from "./with-request-id";

vi.mock("@/lib/platform/log/logger", () => ({ logger: () => ({ error: vi.fn() }) }));

const request = (requestId?: string) =>
  new NextRequest("http://localhost/api/v2/webhooks/twilio/int_x/sms", {
    headers: requestId === undefined ? {} : { "x-request-id": requestId },
  });

const seen: string[] = [];
const ok = withRequestId((_request, requestId) => {
  seen.push(requestId);
  return Promise.resolve(new Response(null, { status: 204 }));
});
const failing = withRequestId(() => Promise.reject(new AppError("not_found", "Gone.")));

describe("withRequestId", () => {
  it("echoes the caller's valid X-Request-Id on success and error", async () => {
    const id = "trace-42.a_B";
    const res = await ok(request(id));
    expect(res.headers.get("x-request-id")).toBe(id);
    expect(seen.at(-1)).toBe(id);
    const refused = await failing(request(id));
    expect(refused.status).toBe(404);
    expect(refused.headers.get("x-request-id")).toBe(id);
    expect(await refused.json()).toMatchObject({
      request_id: id,
      instance: `urn:pqseal:request:${id}`,
    });
  });

  it("makes a new id when none is sent", async () => {
    const res = await ok(request());
    expect(isId("request", res.headers.get("x-request-id") ?? "")).toBe(true);
  });

  it.each([
    ["too long", "a".repeat(65)],
    ["not allowed characters", "abc def"],
    ["a phone-number-like id", "14155550100"],
    ["empty", ""],
  ])("replaces an invalid incoming id (%s)", async (_why, bad) => {
    const res = await failing(request(bad));
    const id = res.headers.get("x-request-id") ?? "";
    expect(id).not.toBe(bad);
    expect(isId("request", id)).toBe(true);
    expect(((await res.json()) as { request_id: string }).request_id).toBe(id);
  });

  it("tags a response whose headers cannot be changed", async () => {
    const frozen = withRequestId(() => Promise.resolve(Response.redirect("http://localhost/")));
    const res = await frozen(request("r1"));
    expect(res.status).toBe(302);
    expect(res.headers.get("x-request-id")).toBe("r1");
  });
});
