import { describe, expect, it } from "vitest";
import { createClient, PqsealApiError, PqsealNetworkError } from "./index";
import { generateClientKeyPair } from "./keys";

// When the SDK repeats a request and when it must not (docs/decisions/0013-sdk-package.md),
// against scripted answers: no envelope needed, every case ends in an error the caller sees.
const pair = generateClientKeyPair();

type Scripted = { status: number; code?: string; retryAfter?: string } | "network";

function scripted(...answers: Scripted[]) {
  const calls: { url: string; idempotencyKey: string | null }[] = [];
  const fetch = ((url: string, init: RequestInit = {}) => {
    calls.push({ url, idempotencyKey: new Headers(init.headers).get("idempotency-key") });
    const next = answers[Math.min(calls.length, answers.length) - 1] ?? "network";
    if (next === "network") return Promise.reject(new TypeError("fetch failed"));
    const headers = new Headers({ "content-type": "application/problem+json" });
    if (next.retryAfter) headers.set("retry-after", next.retryAfter);
    const body = { status: next.status, code: next.code ?? "x", detail: `answer ${calls.length}` };
    return Promise.resolve(new Response(JSON.stringify(body), { status: next.status, headers }));
  }) as typeof globalThis.fetch;
  const client = createClient({
    baseUrl: "https://pqseal.invalid/",
    tenantId: "ten_01JTEST0000000000000000000",
    apiKey: "qs_test_x",
    clientKeyId: "ck_x",
    clientSecretKey: pair.secretKey,
    signingPublicKeys: {},
    fetch,
    maxRetries: 2,
    maxRetryDelayMs: 30,
  });
  return { client, calls };
}

const send = (client: ReturnType<typeof createClient>, idempotencyKey?: string) =>
  client.proxy
    .outbound(
      { integration_id: "int_x", operation: "send_sms", payload: {} },
      idempotencyKey ? { idempotencyKey } : {},
    )
    .catch((e: unknown) => e);

describe("SDK retries (scripted answers)", () => {
  it("retries a keyed send on 503, 502, 504 and 429, with the same key, and reports the last answer", async () => {
    const { client, calls } = scripted(
      { status: 503, code: "upstream_unavailable" },
      { status: 429, code: "rate_limited_api_key", retryAfter: "0" },
      { status: 502, code: "bad_gateway" },
    );
    const error = await send(client, "k-1");
    expect(error).toBeInstanceOf(PqsealApiError);
    expect(error).toMatchObject({ status: 502, attempts: 3, message: "answer 3" });
    expect(calls.map((c) => c.idempotencyKey)).toEqual(["k-1", "k-1", "k-1"]);
  });

  it("retries 409 idempotency_in_progress, but no other 409", async () => {
    const inProgress = scripted({ status: 409, code: "idempotency_in_progress" }, { status: 422 });
    expect(await send(inProgress.client, "k-2")).toMatchObject({ status: 422, attempts: 2 });
    const conflict = scripted({ status: 409, code: "conflict" }, { status: 422 });
    expect(await send(conflict.client, "k-3")).toMatchObject({ status: 409, attempts: 1 });
  });

  it("never retries 503 audit_pending: Twilio accepted that send", async () => {
    const { client, calls } = scripted({ status: 503, code: "audit_pending" }, { status: 200 });
    expect(await send(client, "k-4")).toMatchObject({ code: "audit_pending", attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  it("does not wait out a Retry-After longer than maxRetryDelayMs; the error carries it", async () => {
    const { client, calls } = scripted({
      status: 429,
      code: "rate_limited_destination",
      retryAfter: "600",
    });
    expect(await send(client, "k-5")).toMatchObject({
      code: "rate_limited_destination",
      retryAfterSeconds: 600,
      attempts: 1,
    });
    expect(calls).toHaveLength(1);
  });

  it("never retries a send without an Idempotency-Key, whatever the answer", async () => {
    for (const answer of [{ status: 503 }, { status: 429, retryAfter: "0" }, "network"] as const) {
      const { client, calls } = scripted(answer, { status: 422 });
      const error = await send(client);
      expect(error).toMatchObject({ attempts: 1 });
      expect(calls).toHaveLength(1);
    }
  });

  it("retries a read (GET /api/v2/keys) without a key, up to maxRetries, then PqsealNetworkError", async () => {
    const { client, calls } = scripted("network", { status: 503 }, "network");
    const error = await client.keys.refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PqsealNetworkError);
    expect(error).toMatchObject({ attempts: 3 });
    expect(calls.map((c) => c.url)).toEqual(Array(3).fill("https://pqseal.invalid/api/v2/keys"));
  });

  it("stops at the caller's abort, without retrying", async () => {
    const { client, calls } = scripted({ status: 503 }, { status: 503 }, { status: 503 });
    const controller = new AbortController();
    controller.abort(new Error("caller gave up"));
    const error = await client.proxy
      .outbound(
        { integration_id: "int_x", operation: "send_sms", payload: {} },
        { idempotencyKey: "k-6", signal: controller.signal },
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ message: "caller gave up" });
    expect(calls.length).toBeLessThanOrEqual(1);
  });
});
