// Twilio failures as stable values: `{code: "twilio_<n>", twilio_status, message, remediation}`
// with the HTTP status PQSEAL answers. Messages come from us, not from Twilio, so they never
// echo a phone number back.
export type TwilioFailure = {
  status: number;
  error: { code: string; twilio_status: number | null; message: string; remediation: string };
};

const KNOWN: Record<number, [number, string, string]> = {
  20003: [
    502,
    "Twilio rejected the sealed credentials (authentication failed).",
    "An admin must rotate the integration's credential in the Vault.",
  ],
  20404: [
    404,
    "Twilio has no such resource (for Verify: no pending verification, or it expired).",
    "Start a new verification, or check the SID.",
  ],
  20429: [
    429,
    "Twilio is rate-limiting this account.",
    "Slow down and retry later; Twilio's limits are per account.",
  ],
  21211: [400, "The 'to' number is not a valid phone number for Twilio.", "Check the number."],
  21408: [
    403,
    "The Twilio account may not send to this region.",
    "Enable the region in Twilio's geo permissions, or use another destination.",
  ],
  21608: [
    403,
    "A Twilio trial account can only send to verified numbers.",
    "Verify the number in Twilio or upgrade the account.",
  ],
  21610: [
    403,
    "The recipient has unsubscribed (replied STOP).",
    "Do not send again until the recipient replies START.",
  ],
  21612: [400, "Twilio cannot route SMS to this number.", "Use another destination."],
  21614: [
    400,
    "The 'to' number cannot receive SMS (not a mobile number).",
    "Use a mobile number, or the voice channel.",
  ],
  30003: [
    502,
    "The destination handset is unreachable.",
    "Try again later; the phone may be off or out of coverage.",
  ],
  60200: [
    400,
    "Twilio Verify refused a parameter.",
    "Check the number, the channel (sms, call, email, whatsapp) and the locale.",
  ],
  60202: [
    429,
    "Too many wrong codes: this verification is locked.",
    "Start a new verification after the cooldown.",
  ],
  60203: [
    429,
    "Too many verification codes were sent to this destination.",
    "Wait about 10 minutes before starting another verification.",
  ],
};

export function mapTwilioError(error: unknown): TwilioFailure {
  const e = error as { code?: unknown; status?: unknown; name?: unknown; message?: unknown };
  const code = typeof e.code === "number" ? e.code : null;
  const status = typeof e.status === "number" ? e.status : null;
  if (code !== null && KNOWN[code]) {
    const [httpStatus, message, remediation] = KNOWN[code];
    return {
      status: httpStatus,
      error: { code: `twilio_${code}`, twilio_status: status, message, remediation },
    };
  }
  if (isTimeout(error)) {
    return {
      status: 504,
      error: {
        code: "twilio_timeout",
        twilio_status: null,
        message:
          "Twilio did not answer within the time limit. The request may or may not have been carried out.",
        remediation:
          "Check the message log (list_messages) before sending again; PQSEAL never retries a send by itself.",
      },
    };
  }
  if (status !== null && status >= 500) {
    return {
      status: 502,
      error: {
        code: "twilio_unavailable",
        twilio_status: status,
        message: "Twilio answered with a server error.",
        remediation: "Retry later.",
      },
    };
  }
  if (code !== null) {
    return {
      status: status !== null && status >= 400 && status < 500 ? status : 502,
      error: {
        code: `twilio_${code}`,
        twilio_status: status,
        message: "Twilio refused the request.",
        remediation: `See https://www.twilio.com/docs/errors/${code}.`,
      },
    };
  }
  if (status !== null) {
    return {
      status: 502,
      error: {
        code: `twilio_http_${status}`,
        twilio_status: status,
        message: "Twilio refused the request without an error code.",
        remediation:
          "Report this with the request id; it suggests a request Twilio does not accept.",
      },
    };
  }
  return {
    status: 502,
    error: {
      code: "twilio_unreachable",
      twilio_status: null,
      message: "Twilio could not be reached.",
      remediation: "Retry later.",
    },
  };
}

function isTimeout(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return (
    e.code === "ECONNABORTED" ||
    e.code === "ETIMEDOUT" ||
    (typeof e.message === "string" && /timeout/i.test(e.message))
  );
}

/** Failures that say "Twilio is unwell" (they count towards the circuit breaker). */
export const isUpstreamFailure = (f: TwilioFailure) =>
  ["twilio_timeout", "twilio_unavailable", "twilio_unreachable"].includes(f.error.code);
