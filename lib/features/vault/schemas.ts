import { z } from "zod";
import { formInteger } from "@/lib/shared/form-integer";
import { idSchema } from "@/lib/shared/ids";
import { labelSchema } from "@/lib/shared/label";
import { safeText } from "@/lib/shared/text";
import { twilioSid } from "@/lib/shared/twilio-sid";

// What each credential type holds.
const secret = (what: string) =>
  safeText(z.string())
    .min(1, `${what} must not be empty.`)
    .max(256, `${what} is at most 256 characters.`)
    .refine((v) => v.trim() === v, `${what} must not start or end with spaces.`);

const credentialNameSchema = labelSchema("Name the credential.", 100);

export const CREDENTIAL_VALUE_SCHEMAS = {
  basic_auth: z.strictObject({
    username: twilioSid("AC", "The Account SID", z.string().trim()),
    password: secret("The Auth Token"),
  }),
  api_key: z.strictObject({
    account_sid: twilioSid("AC", "The Account SID", z.string().trim()),
    key_sid: twilioSid("SK", "The API Key SID", z.string().trim()),
    key_secret: secret("The API Key secret"),
  }),
  webhook_secret: z.strictObject({
    secret: secret("The webhook signing secret (the Auth Token)"),
  }),
} as const;

export const CREDENTIAL_TYPES = Object.keys(CREDENTIAL_VALUE_SCHEMAS) as [
  CredentialType,
  ...CredentialType[],
];
export type CredentialType = keyof typeof CREDENTIAL_VALUE_SCHEMAS;
export type CredentialValues<T extends CredentialType = CredentialType> = z.output<
  (typeof CREDENTIAL_VALUE_SCHEMAS)[T]
>;

const credentialTypeSchema = z.enum(
  CREDENTIAL_TYPES,
  `credential_type must be one of: ${CREDENTIAL_TYPES.join(", ")}.`,
);

// A JSON number in API bodies (not true, [1] or "1e3"); form digits are read by formInteger.
const graceSeconds = z
  .int("The grace period is a whole number of seconds.")
  .min(0, "The grace period cannot be negative.")
  .max(30 * 86_400, "The grace period is at most 30 days.");

export const sealRequestSchema = z.object({
  credential_type: credentialTypeSchema,
  name: credentialNameSchema,
  values: z.record(z.string(), z.unknown(), "values must be an object."),
  grace_seconds: graceSeconds.optional(),
});

export const rotateRequestSchema = z.object({
  values: z.record(z.string(), z.unknown(), "values must be an object."),
  grace_seconds: graceSeconds.optional(),
});

// Console forms: flat fields, values named as in the API (`values.username` errors map back).
const optionalText = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());
const optionalGrace = formInteger(graceSeconds.optional());
const valueFields = {
  username: optionalText,
  password: optionalText,
  account_sid: optionalText,
  key_sid: optionalText,
  key_secret: optionalText,
  secret: optionalText,
};

export const sealFormSchema = z.object({
  credential_type: credentialTypeSchema,
  name: credentialNameSchema,
  grace_seconds: optionalGrace,
  ...valueFields,
});

const credentialId = idSchema("credential", "Choose a credential.");

export const rotateFormSchema = z.object({
  credentialId,
  grace_seconds: optionalGrace,
  ...valueFields,
});

export const credentialIdSchema = z.object({ credentialId });

/** Only the fields that belong to `type`, so a stray field from another type is ignored. */
export function valuesFromForm(type: CredentialType, form: Record<string, unknown>) {
  const keys = Object.keys(CREDENTIAL_VALUE_SCHEMAS[type].shape);
  return Object.fromEntries(keys.map((k) => [k, form[k] ?? ""]));
}
