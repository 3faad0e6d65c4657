// How the SDK examples tell a person why a call failed: one line, no stack trace, and what to
// do next. A refused envelope means PQSEAL may already have acted (an SMS may be out), so the
// line says how to retry without acting twice.
import {
  EnvelopeError,
  PqsealApiError,
  PqsealNetworkError,
  PqsealTimeoutError,
} from "@/lib/shared/sdk/index";

type Failure = { line: string; exitCode: number };

/** `idempotencyKey`: the key the call was sent with, so a retry replays instead of resending. */
export function describeFailure(error: unknown, idempotencyKey: string): Failure {
  const retry = `The request may have been carried out; to retry without sending it twice, run again with --idempotency-key ${idempotencyKey}.`;
  if (error instanceof EnvelopeError) {
    return {
      line: [
        `PQSEAL's answer was refused (${error.code}): ${error.message.replace(/^envelope rejected \([a-z_]+\): /, "")}`,
        error.remediation,
        retry,
      ].join(" "),
      exitCode: 3,
    };
  }
  if (error instanceof PqsealApiError) {
    return {
      line: JSON.stringify({
        status: error.status,
        code: error.code,
        message: error.message,
        ...(error.remediation ? { remediation: error.remediation } : {}),
        // Quote it when asking for help: it finds the request in PQSEAL's logs and audit log.
        ...(error.requestId ? { request_id: error.requestId } : {}),
        // An earlier attempt went unanswered, or the send is still running: same key again.
        ...(error.outcomeUnknown ? { retry } : {}),
      }),
      exitCode: error.outcomeUnknown ? 4 : 1,
    };
  }
  if (error instanceof PqsealTimeoutError || error instanceof PqsealNetworkError) {
    return { line: `${error.message.split("\n")[0] ?? ""} ${retry}`, exitCode: 4 };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    line: `Unexpected failure: ${message.split("\n")[0] ?? ""} ${retry}`,
    exitCode: 1,
  };
}
