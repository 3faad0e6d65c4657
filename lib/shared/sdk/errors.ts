// Every way a call through the SDK can fail is one of these classes (or EnvelopeError from the
// envelope format, whose KeyNotTrustedError subclass is here): callers branch with instanceof
// and, for API errors, on the stable `code`. Messages never carry secrets or phone numbers.
import { EnvelopeError, type EnvelopeErrorCode } from "@/lib/shared/crypto/envelope-format";

type Problem = {
  requestId?: string | undefined;
  type?: string | undefined;
  title?: string | undefined;
  fields?: Record<string, string[]> | undefined;
  retryAfterSeconds?: number | undefined;
  attempts?: number | undefined;
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
  }
}

/** No answer within `timeoutMs` (per attempt). With an Idempotency-Key the send is retried. */
export class PqsealTimeoutError extends Error {
  constructor(
    readonly timeoutMs: number,
    readonly attempts: number,
  ) {
    super(
      `PQSEAL did not answer within ${timeoutMs} ms (${attempts} attempt${attempts === 1 ? "" : "s"}).`,
    );
    this.name = "PqsealTimeoutError";
  }
}

/** The request never got an answer (DNS, refused connection, TLS, reset); `cause` says why. */
export class PqsealNetworkError extends Error {
  constructor(
    readonly attempts: number,
    options: { cause: unknown },
  ) {
    super(
      `PQSEAL could not be reached (${attempts} attempt${attempts === 1 ? "" : "s"}): ${
        options.cause instanceof Error ? options.cause.message : String(options.cause)
      }`,
      options,
    );
    this.name = "PqsealNetworkError";
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
  ) {
    super(code, signingKeyId);
    this.name = "KeyNotTrustedError";
  }
}

export { EnvelopeError, type EnvelopeErrorCode };

/** Every error the SDK throws. */
export type PqsealError =
  PqsealApiError | EnvelopeError | KeyNotTrustedError | PqsealTimeoutError | PqsealNetworkError;

export const isPqsealError = (error: unknown): error is PqsealError =>
  error instanceof PqsealApiError ||
  error instanceof EnvelopeError ||
  error instanceof PqsealTimeoutError ||
  error instanceof PqsealNetworkError;
