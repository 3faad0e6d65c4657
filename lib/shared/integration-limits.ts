/**
 * An integration's abuse limits when none are given: used by the API schema, the database
 * defaults and the console form. Per destination: sends and verification checks per window
 * (the window is also the cooldown); per API key: a token bucket of `key_burst` refilled at
 * `key_rate_per_second`; per end user (the payload's `end_user`): sends per IP and verification
 * checks per id in their own window (Twilio's Verify guidance: 5 per 10 minutes each).
 */
export const INTEGRATION_LIMIT_DEFAULTS = {
  sends_per_destination: 3,
  checks_per_destination: 5,
  destination_window_seconds: 600,
  key_burst: 20,
  key_rate_per_second: 5,
  end_user_ip_sends: 5,
  end_user_id_checks: 5,
  end_user_window_seconds: 600,
  line_type_cache_hours: 24,
  pumping_min_volume: 20,
  pumping_min_conversion: 20,
  pumping_window_seconds: 3600,
  /** create_verification (sms) to a number not approved this long after its last one suggests a call; 0: off. */
  fallback_after_seconds: 20,
} as const;

/** What a line-type-checked send does with a non-fixed VoIP number (issue #21). */
export const VOIP_POLICIES = ["allow", "flag", "refuse"] as const;
export type VoipPolicy = (typeof VOIP_POLICIES)[number];

/**
 * What a low verification conversion to one destination country does (issue #21, SMS pumping):
 * nothing, an audit event once per window (`proxy.pumping_suspected`), or 429
 * country_throttled_pumping on sends and verifications to that country.
 */
export const PUMPING_ACTIONS = ["off", "alert", "refuse"] as const;
export type PumpingAction = (typeof PUMPING_ACTIONS)[number];
