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
  idempotency_key_reused: 409,
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
