// One HTTP exchange with PQSEAL: a timeout per attempt (headers and body), the caller's
// AbortSignal, and retries only where repeating the request cannot act twice. The rules, and
// the defaults below, are documented for users in lib/shared/sdk/README.md ("Retries").
import {
  PqsealApiError,
  PqsealInvalidRequestError,
  PqsealNetworkError,
  PqsealTimeoutError,
} from "./errors";

export type RetryPolicy = {
  /** Retries after the first attempt; 0 turns retrying off. */
  maxRetries: number;
  /** The longest wait before a retry, Retry-After included. */
  maxRetryDelayMs: number;
  /** Per attempt, the answer's body included. */
  timeoutMs: number;
};

const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  maxRetryDelayMs: 10_000,
  timeoutMs: 30_000,
};

const BASE_DELAY_MS = 500;
// setTimeout fires at once for delays above 2^31 - 1 ms, and ten retries are plenty.
const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_RETRIES = 10;

/** The policy from the client's options, refused (before any request) when not usable. */
export function retryPolicy(options: Partial<RetryPolicy>): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY };
  const set = (name: keyof RetryPolicy, value: number | undefined, min: number, max: number) => {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new PqsealInvalidRequestError(`${name} must be a whole number from ${min} to ${max}.`);
    }
    policy[name] = value;
  };
  set("maxRetries", options.maxRetries, 0, MAX_RETRIES);
  set("maxRetryDelayMs", options.maxRetryDelayMs, 0, MAX_TIMER_MS);
  set("timeoutMs", options.timeoutMs, 1, MAX_TIMER_MS);
  return policy;
}

type Exchange = {
  response: Response;
  /** The parsed JSON body, or null when there was none or it was not JSON. */
  body: Record<string, unknown> | null;
  attempts: number;
  /** An earlier attempt got no answer: it may have been carried out. */
  unansweredBefore: boolean;
};

const str = (value: unknown) => (typeof value === "string" && value ? value : undefined);

// RFC 9110 §10.2.3: delay-seconds, or an HTTP-date (IMF-fixdate). Anything else is ignored.
const DELAY_SECONDS = /^\d{1,9}$/;
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Seconds from a Retry-After header, if it has a valid one. */
function retryAfterSeconds(response: Response): number | undefined {
  const value = response.headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (DELAY_SECONDS.test(value)) return Number(value);
  if (!IMF_FIXDATE.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The problem details (RFC 9457) of an answer without an envelope, as PqsealApiError. */
export function apiError(exchange: Exchange): PqsealApiError {
  const { response, body, attempts } = exchange;
  const { status } = response;
  const problem = body ?? {};
  const fields = problem.fields;
  return new PqsealApiError(
    status,
    str(problem.code) ?? "unexpected_response",
    str(problem.detail) ?? `PQSEAL answered HTTP ${status}`,
    str(problem.remediation),
    {
      requestId: response.headers.get("x-request-id") ?? str(problem.request_id),
      type: str(problem.type),
      title: str(problem.title),
      fields:
        fields && typeof fields === "object" ? (fields as Record<string, string[]>) : undefined,
      retryAfterSeconds: retryAfterSeconds(response),
      attempts,
      outcomeUnknown: exchange.unansweredBefore,
    },
  );
}

/** Whether this answer means "nothing was done, try again" (envelopes never are). */
function isRetryableAnswer(exchange: Omit<Exchange, "attempts" | "unansweredBefore">): boolean {
  const { status } = exchange.response;
  const code = exchange.body?.code;
  if (exchange.body && "encrypted" in exchange.body) return false;
  if (status === 409) return code === "idempotency_in_progress";
  if (status === 503) return code !== "audit_pending";
  return status === 429 || status === 502 || status === 504;
}

function backoff(retry: number, maxDelayMs: number) {
  const ceiling = Math.min(maxDelayMs, BASE_DELAY_MS * 2 ** (retry - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Resolves after `ms`; rejects with the signal's reason as soon as it is aborted. */
function sleep(ms: number, signal: AbortSignal | undefined) {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const TIMED_OUT = Symbol("timed out");

/**
 * One attempt: the answer and its body within `timeoutMs`, or the caller's abort. Both also
 * end a `fetch` that ignores its signal (a custom one): the attempt stops waiting for it.
 */
async function attempt(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Omit<Exchange, "attempts" | "unansweredBefore">> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  const stopped = new Promise<never>((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason as Error), {
      once: true,
    });
  });
  stopped.catch(() => {}); // settled by whichever comes first; never unhandled
  const timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const response = await Promise.race([
      doFetch(url, { ...init, signal: controller.signal }),
      stopped,
    ]);
    const text = await Promise.race([response.text(), stopped]);
    let body: Record<string, unknown> | null = null;
    try {
      const parsed: unknown = text ? JSON.parse(text) : null;
      body = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : null;
    } catch {
      body = null;
    }
    return { response, body };
  } catch (error) {
    if (controller.signal.reason === TIMED_OUT) throw new PqsealTimeoutError(timeoutMs, 1);
    if (signal?.aborted) throw signal.reason;
    throw new PqsealNetworkError(1, { cause: error });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Makes the request, retrying what `retryable` allows: no answer (network error, timeout),
 * 409 idempotency_in_progress, 429, 502/503/504 but 503 audit_pending, waiting Retry-After
 * when it is within `maxRetryDelayMs`. `init` is rebuilt per attempt (a send binds each attempt
 * to its own client request id). Resolves with the last answer, whatever its status; throws
 * PqsealTimeoutError, PqsealNetworkError or the caller's abort reason.
 */
export async function exchange(
  doFetch: typeof fetch,
  url: string,
  init: () => RequestInit,
  options: { retryable: boolean; policy: RetryPolicy; signal?: AbortSignal | undefined },
): Promise<Exchange> {
  const { policy, signal } = options;
  const maxRetries = options.retryable ? policy.maxRetries : 0;
  let unansweredBefore = false;
  for (let attempts = 1; ; attempts++) {
    let wait: number;
    try {
      const answer = await attempt(doFetch, url, init(), policy.timeoutMs, signal);
      const result = { ...answer, attempts, unansweredBefore };
      if (attempts > maxRetries || !isRetryableAnswer(answer)) return result;
      const after = retryAfterSeconds(answer.response);
      wait = after === undefined ? backoff(attempts, policy.maxRetryDelayMs) : after * 1000;
      if (wait > policy.maxRetryDelayMs) return result;
    } catch (error) {
      if (error instanceof PqsealTimeoutError) {
        if (attempts > maxRetries) throw new PqsealTimeoutError(policy.timeoutMs, attempts);
      } else if (error instanceof PqsealNetworkError) {
        if (attempts > maxRetries) throw new PqsealNetworkError(attempts, { cause: error.cause });
      } else {
        throw error;
      }
      unansweredBefore = true;
      wait = backoff(attempts, policy.maxRetryDelayMs);
    }
    await sleep(wait, signal);
  }
}
