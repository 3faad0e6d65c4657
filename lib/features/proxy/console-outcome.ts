import "server-only";
import type { AppError } from "@/lib/platform/errors/app-error";
import { destinationFingerprint } from "@/lib/platform/phone/fingerprint";
import { VERIFY_OPERATIONS, type Operation } from "@/lib/features/integrations/schemas";
import { CONSOLE_OPERATIONS } from "./console-operations";
import { checksMade, verifyRetryAt, VERIFY_MAX_CHECKS } from "./console-verification";

// What a test-console run came to, as a person reads it: Twilio answering is not the same as
// the operation succeeding (a check answered `pending` is a wrong code), a failure names its
// code and what to do, and a cooldown says when to try again.

type ConsoleRetry = {
  /** Seconds from the answer until a retry can pass. */
  afterSeconds: number;
  /** The same moment, ISO 8601. */
  at: string;
  /** Estimated from PQSEAL's records (Twilio sends no Retry-After), not told by a limit. */
  approximate: boolean;
};

type ConsoleFailure = { code: string; message: string; remediation?: string };

export type ConsoleOutcome = {
  ok: boolean;
  /** One sentence: "Code approved", "Code not accepted (status pending) — 4 attempts left". */
  headline: string;
  error: ConsoleFailure | null;
  retry: ConsoleRetry | null;
  /** The verification a Verify operation Twilio answered is about. */
  verification: { sid: string; status: string; attemptsLeft: number | null } | null;
};

type Input = { integration_id: string; operation: Operation; payload: Record<string, unknown> };
type Answer = { status: number; success: boolean; payload: unknown };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The outcome of a call PQSEAL answered with an envelope (Twilio's answer or failure). */
export async function consoleOutcome(
  tenantId: string,
  input: Input,
  answer: Answer,
): Promise<ConsoleOutcome> {
  const name = CONSOLE_OPERATIONS[input.operation].name;
  const body = (answer.payload ?? {}) as { data?: unknown; error?: Partial<ConsoleFailure> };
  if (!answer.success) {
    const error: ConsoleFailure = {
      code: body.error?.code ?? `http_${answer.status}`,
      message: body.error?.message ?? "The call failed.",
      ...(body.error?.remediation ? { remediation: body.error.remediation } : {}),
    };
    return {
      ok: false,
      headline: `${name} failed (HTTP ${answer.status}, ${error.code})`,
      error,
      retry: await twilioRetry(tenantId, input, error.code),
      verification: null,
    };
  }
  const data = (body.data ?? {}) as { sid?: unknown; status?: unknown };
  const done = { error: null, retry: null, verification: null };
  if (
    !(VERIFY_OPERATIONS as readonly Operation[]).includes(input.operation) ||
    typeof data.sid !== "string"
  ) {
    return { ok: true, headline: `${name} succeeded`, ...done };
  }
  const status = typeof data.status === "string" ? data.status : "unknown";
  const left = await attemptsLeft(tenantId, data.sid, status);
  const verification = { sid: data.sid, status, attemptsLeft: left };
  if (input.operation !== "check_verification") {
    const checks = left === null ? "" : ` — ${plural(left, "code check", "code checks")} left`;
    return {
      ...done,
      ok: true,
      headline: `${name} succeeded (status ${status})${checks}`,
      verification,
    };
  }
  if (status === "approved") return { ...done, ok: true, headline: "Code approved", verification };
  const attempts = left === null ? "" : ` — ${plural(left, "attempt", "attempts")} left`;
  return {
    ok: false,
    headline: `Code not accepted (status ${status})${attempts}`,
    error: {
      code: "code_not_accepted",
      message: "Twilio checked the code: it is not this verification's code.",
      remediation:
        left === 0
          ? "Start a new verification once this one has expired (10 minutes after it started)."
          : `Twilio answers ${VERIFY_MAX_CHECKS} checks per verification; the attempts left count the checks made through PQSeal.`,
    },
    retry: null,
    verification,
  };
}

/** The outcome of a call PQSEAL refused (policy, limits) or could not complete (an outage). */
export function refusalOutcome(operation: Operation, error: AppError): ConsoleOutcome {
  const { remediation, headers } = error.options;
  const seconds = Number(headers?.["retry-after"]);
  return {
    ok: false,
    headline: `${CONSOLE_OPERATIONS[operation].name} failed (HTTP ${error.status}, ${error.code})`,
    error: { code: error.code, message: error.message, ...(remediation ? { remediation } : {}) },
    retry: seconds > 0 ? retryAfter(seconds, false) : null,
    verification: null,
  };
}

function retryAfter(seconds: number, approximate: boolean): ConsoleRetry {
  const afterSeconds = Math.max(1, Math.ceil(seconds));
  return {
    afterSeconds,
    at: new Date(Date.now() + afterSeconds * 1000).toISOString(),
    approximate,
  };
}

/** Checks left of a pending verification (Twilio answers five), from the audit log. */
async function attemptsLeft(tenantId: string, sid: string, status: string) {
  if (status === "max_attempts_reached") return 0;
  if (status !== "pending") return null;
  return Math.max(0, VERIFY_MAX_CHECKS - (await checksMade(tenantId, sid)));
}

/** When Twilio's Verify limits (60202 locked, 60203 too many sends) let a retry pass. */
async function twilioRetry(tenantId: string, input: Input, code: string) {
  if (code !== "twilio_60202" && code !== "twilio_60203") return null;
  const { verification_sid: sid, to } = input.payload;
  const phone = typeof to === "string" && !to.includes("@") ? to : undefined;
  const at = await verifyRetryAt(tenantId, input.integration_id, code, {
    sid: typeof sid === "string" ? sid : undefined,
    numberHash: phone && destinationFingerprint(tenantId, phone).hmac,
  });
  const seconds = at ? (at.getTime() - Date.now()) / 1000 : 0;
  return seconds > 0 ? retryAfter(seconds, code === "twilio_60203") : null;
}
