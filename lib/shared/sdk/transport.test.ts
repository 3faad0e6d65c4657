import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createClient,
  KeyNotTrustedError,
  PqsealApiError,
  PqsealInvalidRequestError,
  PqsealNetworkError,
  PqsealTimeoutError,
  type ClientOptions,
  type HybridCryptoEnvelope,
} from "./index";
import { generateClientKeyPair } from "./keys";

// When the SDK repeats a request and when it must not (lib/shared/sdk/README.md, "Retries"),
// against scripted answers: no envelope needed, every case ends in an error the caller sees.
const pair = generateClientKeyPair();

const OPTIONS: ClientOptions = {
  baseUrl: "https://pqseal.invalid/",
  tenantId: "ten_01JTEST0000000000000000000",
  apiKey: "qs_test_x",
  clientKeyId: "ck_x",
  clientSecretKey: pair.secretKey,
  signingPublicKeys: {},
  maxRetries: 2,
  maxRetryDelayMs: 30,
};

type Scripted = { status: number; code?: string; retryAfter?: string } | "network";

function scripted(...answers: Scripted[]) {
  return scriptedWith({}, ...answers);
}

function scriptedWith(options: Partial<ClientOptions>, ...answers: Scripted[]) {
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
  return { client: createClient({ ...OPTIONS, fetch, ...options }), calls };
}

const send = (
  client: ReturnType<typeof createClient>,
  idempotencyKey?: string,
  signal?: AbortSignal,
) =>
  client.proxy
    .outbound(
      { integration_id: "int_x", operation: "send_sms", payload: {} },
      {
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
        ...(signal ? { signal } : {}),
      },
    )
    .catch((e: unknown) => e);

afterEach(() => vi.useRealTimers());

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
    expect(await send(client, "k-4")).toMatchObject({
      code: "audit_pending",
      attempts: 1,
      outcomeUnknown: true,
    });
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
    expect(error).toMatchObject({ attempts: 3, code: "network_error", outcomeUnknown: true });
    // The fetch error stays in `cause`: its message may quote a header.
    expect((error as Error).message).not.toContain("fetch failed");
    expect(calls.map((c) => c.url)).toEqual(Array(3).fill("https://pqseal.invalid/api/v2/keys"));
  });

  it("sends nothing when the caller's signal is already aborted", async () => {
    const { client, calls } = scripted({ status: 200 });
    const controller = new AbortController();
    controller.abort(new Error("caller gave up"));
    expect(await send(client, "k-6", controller.signal)).toMatchObject({
      message: "caller gave up",
    });
    expect(calls).toHaveLength(0);
  });

  it("stops waiting for a retry when the caller aborts, with the caller's reason", async () => {
    const { client, calls } = scriptedWith(
      { maxRetryDelayMs: 60_000 },
      { status: 503, retryAfter: "30" },
      { status: 200 },
    );
    const controller = new AbortController();
    const pending = send(client, "k-7", controller.signal);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    controller.abort(new Error("shutting down"));
    expect(await pending).toMatchObject({ message: "shutting down" });
    expect(calls).toHaveLength(1);
  });

  it("waits what Retry-After says (seconds or an HTTP date), not less", async () => {
    vi.useFakeTimers();
    // An HTTP date has whole seconds: 3 s ahead is 2 to 3 s from now.
    const inThreeSeconds = () => new Date(Date.now() + 3_000).toUTCString();
    for (const retryAfterNow of [() => "2", inThreeSeconds]) {
      const retryAfter = retryAfterNow();
      const { client, calls } = scriptedWith(
        { maxRetryDelayMs: 5_000 },
        { status: 429, retryAfter },
        { status: 422 },
      );
      const pending = send(client, "k-8");
      await vi.advanceTimersByTimeAsync(1_500);
      expect(calls, retryAfter).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1_600);
      expect(calls, retryAfter).toHaveLength(2);
      expect(await pending).toMatchObject({ status: 422, attempts: 2 });
    }
  });

  it("ignores a Retry-After that is neither seconds nor an HTTP date (backs off instead)", async () => {
    const { client, calls } = scripted(
      { status: 429, retryAfter: "-1" },
      { status: 429, retryAfter: "1.5" },
      { status: 422 },
    );
    expect(await send(client, "k-9")).toMatchObject({ status: 422, attempts: 3 });
    expect(calls).toHaveLength(3);
  });

  it("times out an attempt even when a custom fetch ignores the signal (headers or body)", async () => {
    const stalledBody = () => new Response(new ReadableStream({ start() {} }), { status: 200 });
    const answers: (() => Promise<Response>)[] = [
      () => new Promise<Response>(() => {}),
      () => Promise.resolve(stalledBody()),
    ];
    for (const answer of answers) {
      let calls = 0;
      const client = createClient({
        ...OPTIONS,
        fetch: () => {
          calls++;
          return answer();
        },
        timeoutMs: 50,
        maxRetries: 1,
        maxRetryDelayMs: 10,
      });
      const error = await send(client, "k-10");
      expect(error).toBeInstanceOf(PqsealTimeoutError);
      expect(error).toMatchObject({ code: "timeout", attempts: 2, outcomeUnknown: true });
      expect(calls).toBe(2);
    }
  });

  it("marks an answer after an unanswered attempt as outcome unknown (the first may have sent)", async () => {
    const { client } = scripted("network", { status: 409, code: "idempotency_in_progress" });
    const error = await send(client, "k-11");
    expect(error).toBeInstanceOf(PqsealApiError);
    expect(error).toMatchObject({ code: "idempotency_in_progress", outcomeUnknown: true });
    const afterNetwork = await send(scripted("network", { status: 422 }).client, "k-12");
    expect(afterNetwork).toMatchObject({ status: 422, outcomeUnknown: true });
    const refused = await send(scripted({ status: 403 }).client, "k-13");
    expect(refused).toMatchObject({ status: 403, outcomeUnknown: false });
  });

  it("refuses what cannot be sent before sending anything, without quoting the API key", async () => {
    const { client, calls } = scripted({ status: 200 });
    for (const key of ["", "with space", "é", "x".repeat(256)]) {
      expect(await send(client, key), JSON.stringify(key)).toBeInstanceOf(
        PqsealInvalidRequestError,
      );
    }
    expect(calls).toHaveLength(0);
    const bad: Partial<ClientOptions>[] = [
      { baseUrl: "pqseal.example.com" },
      { baseUrl: "ftp://pqseal.example.com" },
      { apiKey: "qs_live_secret with a newline\n" },
      { timeoutMs: Infinity },
      { timeoutMs: 0 },
      { maxRetries: Number.NaN },
      { maxRetries: 1e9 },
    ];
    for (const change of bad) {
      let thrown: unknown;
      try {
        createClient({ ...OPTIONS, ...change });
      } catch (e) {
        thrown = e;
      }
      expect(thrown, JSON.stringify(change)).toBeInstanceOf(PqsealInvalidRequestError);
      expect(String(thrown)).not.toContain("secret");
    }
  });
});

const vector = JSON.parse(
  readFileSync(new URL("../crypto/fixtures/envelope-v1.json", import.meta.url), "utf8"),
) as {
  now: string;
  api_key: string;
  tenant_id: string;
  client_key_id: string;
  client_secret_key: string;
  envelope: HybridCryptoEnvelope;
};

describe("SDK answers whose signer is new", () => {
  it("reports an answered send it could not check, when the key refresh fails, as KeyNotTrustedError with that cause", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(vector.now));
    const paths: string[] = [];
    const client = createClient({
      baseUrl: "https://pqseal.invalid",
      tenantId: vector.tenant_id,
      apiKey: vector.api_key,
      clientKeyId: vector.client_key_id,
      clientSecretKey: vector.client_secret_key,
      signingPublicKeys: {},
      maxRetries: 0,
      fetch: ((url: string) => {
        paths.push(new URL(url).pathname);
        return url.endsWith("/api/v2/keys")
          ? Promise.reject(new TypeError("fetch failed"))
          : Promise.resolve(Response.json(vector.envelope));
      }) as typeof fetch,
    });
    const error = await send(client, "k-14");
    // The send was answered: not a network error a caller could take for "nothing happened".
    expect(error).toBeInstanceOf(KeyNotTrustedError);
    expect((error as Error).cause).toBeInstanceOf(PqsealNetworkError);
    expect(paths).toEqual(["/api/v2/proxy/outbound", "/api/v2/keys"]);
  });
});
