// Every way a call through the SDK can fail is one of these classes (or EnvelopeError from the
// envelope format, whose KeyNotTrustedError subclass is here), each with a stable `code`:
// callers branch with instanceof or on the code. Messages never carry secrets or phone numbers
// (a cause's own message, which might quote a header, stays in `cause`).
import { EnvelopeError, type EnvelopeErrorCode } from "@/lib/shared/crypto/envelope-format";

type Problem = {
  requestId?: string | undefined;
  type?: string | undefined;
  title?: string | undefined;
  fields?: Record<string, string[]> | undefined;
  retryAfterSeconds?: number | undefined;
  attempts?: number | undefined;
  outcomeUnknown?: boolean | undefined;
};

/**
 * An error the server answered without an envelope (bad key, policy refusal, bad input, rate
 * limit): its RFC 9457 problem details. `message` is the `detail`; `requestId` (the
 * X-Request-Id) finds the request in PQSEAL's logs and audit log.
 */
export class PqsealApiError extends Error {
  readonly requestId: string | undefined;
  /** The problem type (`/api-reference#error-<code>`). */
  readonly type: string | undefined;
  readonly title: string | undefined;
  /** Validation errors by field (`invalid_input`). */
  readonly fields: Record<string, string[]> | undefined;
  /** From the Retry-After header, when the server sent one (rate limits, 503). */
  readonly retryAfterSeconds: number | undefined;
  /** How many requests the SDK made before giving up (1 when it did not retry). */
  readonly attempts: number;
  /**
   * True when this answer does not settle what happened: an earlier attempt of this send got
   * no answer (it may have reached Twilio), or the answer is 409 `idempotency_in_progress` or
   * 503 `audit_pending`. Retry with the same Idempotency-Key; never send it under a new one.
   */
  readonly outcomeUnknown: boolean;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly remediation?: string,
    problem: Problem = {},
  ) {
    super(message);
    this.name = "PqsealApiError";
    this.requestId = problem.requestId;
    this.type = problem.type;
    this.title = problem.title;
    this.fields = problem.fields;
    this.retryAfterSeconds = problem.retryAfterSeconds;
    this.attempts = problem.attempts ?? 1;
    this.outcomeUnknown =
      problem.outcomeUnknown === true ||
      code === "idempotency_in_progress" ||
      code === "audit_pending";
  }
}

const attemptsText = (n: number) => `${n} attempt${n === 1 ? "" : "s"}`;

/** No answer within `timeoutMs` (per attempt): the request may have been carried out. */
export class PqsealTimeoutError extends Error {
  readonly code = "timeout";
  readonly outcomeUnknown = true;
  constructor(
    readonly timeoutMs: number,
    readonly attempts: number,
  ) {
    super(`PQSEAL did not answer within ${timeoutMs} ms (${attemptsText(attempts)}).`);
    this.name = "PqsealTimeoutError";
  }
}

/**
 * No answer at all (DNS, refused connection, TLS, reset): the request may have been carried
 * out. `cause` is the fetch error.
 */
export class PqsealNetworkError extends Error {
  readonly code = "network_error";
  readonly outcomeUnknown = true;
  constructor(
    readonly attempts: number,
    options: { cause: unknown },
  ) {
    super(
      `PQSEAL could not be reached (${attemptsText(attempts)}); the cause is in error.cause.`,
      options,
    );
    this.name = "PqsealNetworkError";
  }
}

/** The call was refused before anything was sent: an option or argument is not usable. */
export class PqsealInvalidRequestError extends Error {
  readonly code = "invalid_request";
  constructor(message: string) {
    super(message);
    this.name = "PqsealInvalidRequestError";
  }
}

/**
 * The envelope is signed by a key this client does not trust: not seen yet (and not listed by
 * GET /api/v2/keys), or listed without a chain of endorsements from a pinned key. Never decrypt
 * or act on such a response.
 */
export class KeyNotTrustedError extends EnvelopeError {
  constructor(
    code: Extract<EnvelopeErrorCode, "unknown_signing_key" | "key_not_endorsed">,
    readonly signingKeyId: string | undefined,
    options: { cause?: unknown } = {},
  ) {
    super(code, signingKeyId);
    this.name = "KeyNotTrustedError";
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

export { EnvelopeError, type EnvelopeErrorCode };

/** Every error the SDK throws (an abort rejects with your signal's reason instead). */
export type PqsealError =
  | PqsealApiError
  | EnvelopeError
  | PqsealTimeoutError
  | PqsealNetworkError
  | PqsealInvalidRequestError;

export const isPqsealError = (error: unknown): error is PqsealError =>
  error instanceof PqsealApiError ||
  error instanceof EnvelopeError ||
  error instanceof PqsealTimeoutError ||
  error instanceof PqsealNetworkError ||
  error instanceof PqsealInvalidRequestError;
