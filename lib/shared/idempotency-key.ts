/**
 * An Idempotency-Key PQSeal accepts: 1–255 printable ASCII characters, taken verbatim
 * (docs/decisions/0012-problem-details-and-idempotency.md). The proxy checks it; the SDK
 * refuses another before sending anything.
 */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export const IDEMPOTENCY_KEY_RULE = "Idempotency-Key must be 1-255 printable ASCII characters.";
