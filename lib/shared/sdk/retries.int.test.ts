import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as outboundRoute } from "@/app/api/v2/proxy/outbound/route";
import { resetBreakers } from "@/lib/features/proxy/breaker";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { ACCOUNT, KEY_SECRET, KEY_SID, proxySetup, TOKEN } from "@/test/proxy-setup";
import { createClient, PqsealNetworkError, PqsealTimeoutError, type ClientOptions } from "./index";

// The SDK against the real proxy route and the Twilio double: what its retries may and may not
// do when an answer is lost (docs/decisions/0013-sdk-package.md).
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

let double: TwilioDouble;
beforeAll(async () => {
  double = await startTwilioDouble({
    port: Number(process.env.TWILIO_DOUBLE_PORT),
    accounts: [{ sid: ACCOUNT, authToken: TOKEN, apiKeys: [{ sid: KEY_SID, secret: KEY_SECRET }] }],
  });
});
afterAll(() => double.close());
beforeEach(() => resetBreakers());

const setup = () => proxySetup((user) => (session.user = user));
type Setup = Awaited<ReturnType<typeof setup>>;

/** The server routes as fetch, with `fault` deciding what happens to each attempt. */
function routedFetch(
  fault: (attempt: number, answer: () => Promise<Response>) => Promise<Response>,
) {
  const seen: { idempotencyKey: string | null; clientRequestId: string | null }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const request = new NextRequest(url, init as never);
    seen.push({
      idempotencyKey: request.headers.get("idempotency-key"),
      clientRequestId: request.headers.get("x-client-request-id"),
    });
    return fault(seen.length, () => outboundRoute(request));
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

const sms = (s: Setup, to: string) => ({
  integration_id: s.integration.id,
  operation: "send_sms",
  payload: { to, body: "hello" },
});

/** The answer reached the server (and Twilio) but not the client, on the first attempt. */
const loseFirstAnswer = async (attempt: number, answer: () => Promise<Response>) => {
  const response = await answer();
  if (attempt === 1) throw new TypeError("fetch failed: socket hang up");
  return response;
};

const messagesTo = (to: string) => double.messages.filter((m) => m.to === to).length;

describe("SDK retries against the proxy", () => {
  it("retries a send whose answer was lost when it has an Idempotency-Key: Twilio sends once, the replay verifies", async () => {
    const s = await setup();
    const { fetch, seen } = routedFetch(loseFirstAnswer);
    const client = createClient({ ...s.clientOptions, fetch, maxRetryDelayMs: 50 });
    const to = "+14155550141";
    const result = await client.proxy.outbound(sms(s, to), { idempotencyKey: "order-41" });
    expect(result.success).toBe(true);
    expect(result.replayed).toBe(true);
    expect(messagesTo(to)).toBe(1);
    expect(seen.map((a) => a.idempotencyKey)).toEqual(["order-41", "order-41"]);
    // Each attempt is its own request: the replayed envelope is bound to the second.
    expect(new Set(seen.map((a) => a.clientRequestId)).size).toBe(2);
    expect(result.request_id).toBe(seen[1]?.clientRequestId);
  });

  it("never retries a send without an Idempotency-Key: the lost answer is a PqsealNetworkError", async () => {
    const s = await setup();
    const { fetch, seen } = routedFetch(loseFirstAnswer);
    const client = createClient({ ...s.clientOptions, fetch, maxRetryDelayMs: 50 });
    const to = "+14155550142";
    const error = await client.proxy.outbound(sms(s, to)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PqsealNetworkError);
    expect(error).toMatchObject({ attempts: 1 });
    expect(seen).toHaveLength(1);
    expect(messagesTo(to)).toBe(1);
  });

  it("gives up after timeoutMs per attempt with PqsealTimeoutError, retrying only the keyed send", async () => {
    const s = await setup();
    // A fetch that never answers and ignores its signal: the SDK's own timeout ends the wait.
    const hang = () => new Promise<Response>(() => {});
    const options = (calls: ReturnType<typeof routedFetch>): ClientOptions => ({
      ...s.clientOptions,
      fetch: calls.fetch,
      timeoutMs: 100,
      maxRetries: 1,
      maxRetryDelayMs: 20,
    });
    const unkeyed = routedFetch(hang);
    await expect(
      createClient(options(unkeyed)).proxy.outbound(sms(s, "+14155550143")),
    ).rejects.toMatchObject({ name: "PqsealTimeoutError", attempts: 1, timeoutMs: 100 });
    expect(unkeyed.seen).toHaveLength(1);
    const keyed = routedFetch(hang);
    const error = await createClient(options(keyed))
      .proxy.outbound(sms(s, "+14155550143"), { idempotencyKey: "order-43" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PqsealTimeoutError);
    expect(error).toMatchObject({ attempts: 2 });
    expect(keyed.seen).toHaveLength(2);
  });

  it("retries a keyed send whose first answer came too late: the retry replays it, Twilio sends once", async () => {
    const s = await setup();
    // The first attempt reaches the server (and Twilio); its answer never arrives in time.
    const { fetch, seen } = routedFetch(async (attempt, answer) => {
      const response = await answer();
      if (attempt === 1) await new Promise(() => {});
      return response;
    });
    const client = createClient({
      ...s.clientOptions,
      fetch,
      timeoutMs: 2_000,
      maxRetries: 4,
      maxRetryDelayMs: 100,
    });
    const to = "+14155550145";
    const result = await client.proxy.outbound(sms(s, to), { idempotencyKey: "order-45" });
    expect(result).toMatchObject({ success: true, replayed: true });
    expect(messagesTo(to)).toBe(1);
    expect(seen.length).toBeGreaterThanOrEqual(2);
  });
});
