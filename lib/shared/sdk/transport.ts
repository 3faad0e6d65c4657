// One HTTP exchange with PQSEAL: a timeout per attempt, the caller's AbortSignal, and retries
// only where repeating the request cannot do anything twice (docs/decisions/0013-sdk-package.md):
// reads, and sends that carry an Idempotency-Key. What is retried: no answer (network error,
// timeout), 409 idempotency_in_progress, 429, and 502/503/504 except 503 audit_pending (the
// send went through). Retry-After is honoured; one longer than `maxRetryDelayMs` is not waited.
import { PqsealApiError, PqsealNetworkError, PqsealTimeoutError } from "./errors";

export type RetryPolicy = {
  /** Retries after the first attempt (default 2); 0 turns retrying off. */
  maxRetries: number;
  /** The longest wait before a retry, Retry-After included (default 10 000 ms). */
  maxRetryDelayMs: number;
  /** Per attempt, the answer's body included (default 30 000 ms). */
  timeoutMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  maxRetryDelayMs: 10_000,
  timeoutMs: 30_000,
};

const BASE_DELAY_MS = 500;

type Exchange = {
  response: Response;
  /** The parsed JSON body, or null when there was none or it was not JSON. */
  body: Record<string, unknown> | null;
  attempts: number;
};

const str = (value: unknown) => (typeof value === "string" && value ? value : undefined);

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), if it has one. */
function retryAfterSeconds(response: Response): number | undefined {
  const value = response.headers.get("retry-after");
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
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
    },
  );
}

/** Whether this answer means "nothing was done, try again" (envelopes never are). */
function isRetryableAnswer(exchange: Exchange): boolean {
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

function sleep(ms: number, signal: AbortSignal | undefined) {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const TIMED_OUT = Symbol("timed out");

/** One attempt: the answer and its body within `timeoutMs`, or the caller's abort. */
async function attempt(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Omit<Exchange, "attempts">> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const response = await doFetch(url, { ...init, signal: controller.signal });
    const text = await response.text();
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
 * Makes the request, retrying what `retryable` allows. `init` is rebuilt per attempt (a send
 * binds each attempt to its own client request id). Resolves with the last answer, whatever
 * its status; throws PqsealTimeoutError, PqsealNetworkError or the caller's abort reason.
 */
export async function exchange(
  doFetch: typeof fetch,
  url: string,
  init: () => RequestInit,
  options: { retryable: boolean; policy: RetryPolicy; signal?: AbortSignal | undefined },
): Promise<Exchange> {
  const { policy, signal } = options;
  const maxRetries = options.retryable ? policy.maxRetries : 0;
  for (let attempts = 1; ; attempts++) {
    let wait: number;
    try {
      const answer = {
        ...(await attempt(doFetch, url, init(), policy.timeoutMs, signal)),
        attempts,
      };
      if (attempts > maxRetries || !isRetryableAnswer(answer)) return answer;
      const after = retryAfterSeconds(answer.response);
      wait = after === undefined ? backoff(attempts, policy.maxRetryDelayMs) : after * 1000;
      if (wait > policy.maxRetryDelayMs) return answer;
    } catch (error) {
      if (error instanceof PqsealTimeoutError) {
        if (attempts > maxRetries) throw new PqsealTimeoutError(policy.timeoutMs, attempts);
      } else if (error instanceof PqsealNetworkError) {
        if (attempts > maxRetries) throw new PqsealNetworkError(attempts, { cause: error.cause });
      } else {
        throw error;
      }
      wait = backoff(attempts, policy.maxRetryDelayMs);
    }
    await sleep(wait, signal);
  }
}
