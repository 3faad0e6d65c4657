/**
 * An integration's abuse limits when none are given: used by the API schema, the database
 * defaults and the console form. Per destination: sends and verification checks per window
 * (the window is also the cooldown); per API key: a token bucket of `key_burst` refilled at
 * `key_rate_per_second`.
 */
export const INTEGRATION_LIMIT_DEFAULTS = {
  sends_per_destination: 3,
  checks_per_destination: 5,
  destination_window_seconds: 600,
  key_burst: 20,
  key_rate_per_second: 5,
} as const;
