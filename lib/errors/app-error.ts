// Errors are values with a stable machine code, an HTTP status and a message a person can act on.
export const ERROR_STATUS = {
  invalid_input: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  insufficient_scope: 403,
  not_found: 404,
  conflict: 409,
  last_owner: 409,
  credential_in_use: 409,
  client_key_required: 409,
  invite_invalid: 410,
  account_locked: 429,
  internal_error: 500,
  database_unavailable: 503,
  kms_unavailable: 503,
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
    readonly options: { remediation?: string; fieldErrors?: FieldErrors; cause?: unknown } = {},
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
