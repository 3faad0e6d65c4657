import { z } from "zod";
import { labelSchema } from "@/lib/shared/label";
import { AppError } from "@/lib/platform/errors/app-error";
import { FIELD_ERRORS_MESSAGE, fieldErrorsOf } from "@/lib/platform/errors/field-errors";
import { isCountryCode, isE164 } from "@/lib/shared/phone";
import {
  INTEGRATION_LIMIT_DEFAULTS as LIMITS,
  PUMPING_ACTIONS,
  VOIP_POLICIES,
} from "@/lib/shared/integration-limits";
import { digitsToNumber } from "@/lib/shared/form-integer";
import { idSchema } from "@/lib/shared/ids";
import { safeText } from "@/lib/shared/text";
import { twilioSid } from "@/lib/shared/twilio-sid";

export const OPERATIONS = [
  "send_sms",
  "make_call",
  "create_verification",
  "check_verification",
  "fetch_verification",
  "cancel_verification",
  "list_messages",
  "lookup_number",
] as const;
export type Operation = (typeof OPERATIONS)[number];
/** The operations that go to Twilio Verify: they need the integration's Verify service SID. */
export const VERIFY_OPERATIONS = [
  "create_verification",
  "check_verification",
  "fetch_verification",
  "cancel_verification",
] as const satisfies readonly Operation[];
const SYSTEM_TYPES = ["twilio"] as const;

const e164 = z.string().trim().refine(isE164, "Use E.164 format, e.g. +14155550100.");

const country = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCountryCode, "Unknown ISO 3166-1 country code.");

// A JSON integer (the console's form turns plain digits into one: digitsToNumber).
const count = (max: number) => z.int("Enter a whole number.").min(1).max(max);

// Scheme and address rules (SSRF guard) are checked by the service: lib/platform/http/ssrf.ts.
const httpsUrl = safeText(z.url("Enter a full URL.").max(2000));

const fields = {
  name: labelSchema("Name the integration.", 100),
  system_type: z.enum(SYSTEM_TYPES, `system_type must be one of: ${SYSTEM_TYPES.join(", ")}.`),
  credential_id: idSchema("credential", "Choose the sealed Twilio credential."),
  webhook_credential_id: idSchema(
    "credential",
    "Choose a webhook_secret or basic_auth credential (the Auth Token).",
  ).nullable(),
  allowed_operations: z
    .array(z.enum(OPERATIONS, `Unknown operation. Supported: ${OPERATIONS.join(", ")}.`))
    .max(OPERATIONS.length)
    .transform((ops) => [...new Set(ops)]),
  verify_service_sid: twilioSid("VA", "The Verify service SID", z.string().trim()).nullable(),
  default_from: e164.nullable(),
  messaging_service_sid: twilioSid("MG", "The Messaging service SID", z.string().trim()).nullable(),
  allowed_countries: z
    .array(country)
    .max(250)
    .transform((c) => [...new Set(c)].sort()),
  sends_per_destination: count(1_000_000),
  checks_per_destination: count(1_000_000),
  destination_window_seconds: count(86_400),
  key_burst: count(1_000_000),
  key_rate_per_second: count(100_000),
  end_user_ip_sends: count(1_000_000),
  end_user_id_checks: count(1_000_000),
  end_user_window_seconds: count(86_400),
  require_end_user: z.boolean(),
  line_type_check: z.boolean(),
  voip_policy: z.enum(VOIP_POLICIES, `voip_policy is one of: ${VOIP_POLICIES.join(", ")}.`),
  line_type_cache_hours: count(24 * 30),
  pumping_action: z.enum(
    PUMPING_ACTIONS,
    `pumping_action is one of: ${PUMPING_ACTIONS.join(", ")}.`,
  ),
  pumping_min_volume: count(1_000_000),
  pumping_min_conversion: count(100),
  pumping_window_seconds: count(7 * 86_400),
  fallback_after_seconds: z.int("Enter a whole number.").min(0).max(86_400),
  forward_url: httpsUrl.nullable(),
  enabled: z.boolean(),
};

export const createIntegrationSchema = z.strictObject({
  ...fields,
  webhook_credential_id: fields.webhook_credential_id.optional(),
  allowed_operations: fields.allowed_operations.default([]),
  verify_service_sid: fields.verify_service_sid.optional(),
  default_from: fields.default_from.optional(),
  messaging_service_sid: fields.messaging_service_sid.optional(),
  allowed_countries: fields.allowed_countries.default([]),
  sends_per_destination: fields.sends_per_destination.default(LIMITS.sends_per_destination),
  checks_per_destination: fields.checks_per_destination.default(LIMITS.checks_per_destination),
  destination_window_seconds: fields.destination_window_seconds.default(
    LIMITS.destination_window_seconds,
  ),
  key_burst: fields.key_burst.default(LIMITS.key_burst),
  key_rate_per_second: fields.key_rate_per_second.default(LIMITS.key_rate_per_second),
  // Left out: the column's default (the same INTEGRATION_LIMIT_DEFAULTS; require_end_user false).
  end_user_ip_sends: fields.end_user_ip_sends.optional(),
  end_user_id_checks: fields.end_user_id_checks.optional(),
  end_user_window_seconds: fields.end_user_window_seconds.optional(),
  require_end_user: fields.require_end_user.optional(),
  // Left out: the column's default (line_type_check false, voip_policy flag, 24 hours).
  line_type_check: fields.line_type_check.optional(),
  voip_policy: fields.voip_policy.optional(),
  line_type_cache_hours: fields.line_type_cache_hours.optional(),
  // Left out: alert, 20 verifications, 20 % approved, 3600 s.
  pumping_action: fields.pumping_action.optional(),
  pumping_min_volume: fields.pumping_min_volume.optional(),
  pumping_min_conversion: fields.pumping_min_conversion.optional(),
  pumping_window_seconds: fields.pumping_window_seconds.optional(),
  // Left out: 20 s (0: no time-based fallback guidance).
  fallback_after_seconds: fields.fallback_after_seconds.optional(),
  forward_url: fields.forward_url.optional(),
  enabled: fields.enabled.default(true),
});
export type CreateIntegration = z.output<typeof createIntegrationSchema>;

export const updateIntegrationSchema = z.strictObject(fields).omit({ system_type: true }).partial();
export type UpdateIntegration = z.output<typeof updateIntegrationSchema>;

// The console's integration form (flat fields, checkboxes) -> the API's input shape.
const toArray = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === "string")
    : typeof v === "string"
      ? [v]
      : [];
const orNull = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

function fromForm(raw: Record<string, unknown>) {
  return {
    name: raw.name,
    credential_id: raw.credential_id,
    webhook_credential_id: orNull(raw.webhook_credential_id),
    allowed_operations: toArray(raw.allowed_operations),
    // One value per ticked country (the picker); a typed list "US, GB" is read the same way.
    allowed_countries: toArray(raw.allowed_countries)
      .flatMap((v) => v.split(/[\s,]+/))
      .filter(Boolean),
    verify_service_sid: orNull(raw.verify_service_sid),
    default_from: orNull(raw.default_from),
    messaging_service_sid: orNull(raw.messaging_service_sid),
    sends_per_destination: digitsToNumber(raw.sends_per_destination),
    checks_per_destination: digitsToNumber(raw.checks_per_destination),
    destination_window_seconds: digitsToNumber(raw.destination_window_seconds),
    key_burst: digitsToNumber(raw.key_burst),
    key_rate_per_second: digitsToNumber(raw.key_rate_per_second),
    end_user_ip_sends: digitsToNumber(raw.end_user_ip_sends),
    end_user_id_checks: digitsToNumber(raw.end_user_id_checks),
    end_user_window_seconds: digitsToNumber(raw.end_user_window_seconds),
    require_end_user: raw.require_end_user === "on" || raw.require_end_user === "true",
    line_type_check: raw.line_type_check === "on" || raw.line_type_check === "true",
    voip_policy: orNull(raw.voip_policy) ?? undefined,
    line_type_cache_hours: digitsToNumber(raw.line_type_cache_hours),
    pumping_action: orNull(raw.pumping_action) ?? undefined,
    pumping_min_volume: digitsToNumber(raw.pumping_min_volume),
    pumping_min_conversion: digitsToNumber(raw.pumping_min_conversion),
    pumping_window_seconds: digitsToNumber(raw.pumping_window_seconds),
    fallback_after_seconds: digitsToNumber(raw.fallback_after_seconds),
    forward_url: orNull(raw.forward_url),
    enabled: raw.enabled === "on" || raw.enabled === "true",
  };
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError("invalid_input", FIELD_ERRORS_MESSAGE, {
    fieldErrors: fieldErrorsOf(parsed.error, { topLevel: true }),
  });
}

export const createFromForm = (raw: Record<string, unknown>) => {
  const values = Object.fromEntries(
    Object.entries({ ...fromForm(raw), system_type: "twilio" }).filter(([, v]) => v !== undefined),
  );
  return parseOrThrow(createIntegrationSchema, values);
};

export const updateFromForm = (raw: Record<string, unknown>) => {
  const values = Object.fromEntries(
    Object.entries(fromForm(raw)).filter(([, v]) => v !== undefined),
  );
  return parseOrThrow(updateIntegrationSchema, values);
};
