// Errors are values with a stable machine code, an HTTP status and a message a person can act on.
const ERROR_STATUS = {
  invalid_input: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  mfa_enrolment_required: 403,
  step_up_required: 403,
  sso_required: 403,
  tenant_creation_not_allowed: 403,
  weak_password: 400,
  reset_link_invalid: 410,
  insufficient_scope: 403,
  ip_not_allowed: 403,
  operation_not_allowed: 403,
  destination_not_allowed: 403,
  sender_not_allowed: 403,
  integration_disabled: 403,
  invalid_phone_number: 400,
  // Twilio refused a credential being sealed or checked (422: the values are wrong). Codes of their
  // own: the proxy reports Twilio's refusals of a call as twilio_<n> with other statuses.
  credential_rejected: 422,
  credential_account_mismatch: 422,
  credential_check_failed: 422,
  end_user_required: 400,
  landline_not_sms_capable: 422,
  voip_not_allowed: 403,
  country_throttled_pumping: 429,
  not_found: 404,
  conflict: 409,
  // The IETF httpapi Idempotency-Key draft: 422 for a key reused with another payload, 409 while
  // the first request with the key is still being processed.
  idempotency_key_reused: 422,
  idempotency_in_progress: 409,
  last_owner: 409,
  credential_in_use: 409,
  client_key_required: 409,
  invite_invalid: 410,
  payload_too_large: 413,
  account_locked: 429,
  rate_limited_destination: 429,
  rate_limited_api_key: 429,
  rate_limited_verification_checks: 429,
  rate_limited_credential_checks: 429,
  rate_limited_end_user_ip: 429,
  rate_limited_end_user_id: 429,
  internal_error: 500,
  database_unavailable: 503,
  audit_pending: 503,
  kms_unavailable: 503,
  upstream_unavailable: 503,
  overloaded: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * The short human title of each code: the `title` member of a problem details answer (RFC 9457
 * §3.1.3), the same for every occurrence of the code; what happened this time is the `detail`.
 */
const ERROR_TITLES: Record<ErrorCode, string> = {
  invalid_input: "Invalid input",
  unauthenticated: "Authentication required",
  invalid_credentials: "Invalid credentials",
  forbidden: "Forbidden",
  mfa_enrolment_required: "Multi-factor enrolment required",
  step_up_required: "Recent sign-in required",
  sso_required: "Single sign-on required",
  tenant_creation_not_allowed: "Tenant creation not allowed",
  weak_password: "Password too weak",
  reset_link_invalid: "Reset link invalid",
  insufficient_scope: "API key lacks the scope",
  ip_not_allowed: "Address not allowed",
  operation_not_allowed: "Operation not allowed",
  destination_not_allowed: "Destination not allowed",
  sender_not_allowed: "Sender not allowed",
  integration_disabled: "Integration disabled",
  invalid_phone_number: "Invalid phone number",
  credential_rejected: "Credential rejected by Twilio",
  credential_account_mismatch: "Credential of another Twilio account",
  credential_check_failed: "Credential check failed",
  end_user_required: "End user required",
  landline_not_sms_capable: "Landline cannot receive SMS",
  voip_not_allowed: "VoIP number not allowed",
  country_throttled_pumping: "Country throttled",
  not_found: "Not found",
  conflict: "Conflict",
  idempotency_key_reused: "Idempotency-Key reused",
  idempotency_in_progress: "Idempotency-Key in use",
  last_owner: "Last owner",
  credential_in_use: "Credential in use",
  client_key_required: "Client key required",
  invite_invalid: "Invitation invalid",
  payload_too_large: "Payload too large",
  account_locked: "Account locked",
  rate_limited_destination: "Destination rate limited",
  rate_limited_api_key: "API key rate limited",
  rate_limited_verification_checks: "Too many verification checks",
  rate_limited_credential_checks: "Too many credential checks",
  rate_limited_end_user_ip: "End user address rate limited",
  rate_limited_end_user_id: "End user rate limited",
  internal_error: "Internal error",
  database_unavailable: "Database unavailable",
  audit_pending: "Audit record pending",
  kms_unavailable: "Key management unavailable",
  upstream_unavailable: "Twilio unavailable",
  overloaded: "Overloaded",
};

export const errorTitle = (code: ErrorCode): string => ERROR_TITLES[code];

/** Every code, for tests and the API document. */
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export const errorStatus = (code: ErrorCode): number => ERROR_STATUS[code];

export interface FieldErrors {
  [field: string]: string[] | undefined;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: {
      remediation?: string;
      fieldErrors?: FieldErrors;
      cause?: unknown;
      /** Extra response headers, e.g. Retry-After on 429. */
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what = "The requested resource") =>
  new AppError("not_found", `${what} was not found.`);

export const forbidden = (action: string) =>
  new AppError("forbidden", `Your role does not allow you to ${action}.`, {
    remediation: "Ask an owner or admin of this tenant.",
  });
