import { z } from "zod";

// What each credential type holds. Twilio SIDs are two letters and 32 hex characters.
const sid = (prefix: string, what: string) =>
  z
    .string()
    .trim()
    .regex(
      new RegExp(`^${prefix}[0-9a-fA-F]{32}$`),
      `${what} starts with ${prefix} followed by 32 hexadecimal characters.`,
    );
const secret = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty.`)
    .max(256, `${what} is at most 256 characters.`)
    .refine((v) => v.trim() === v, `${what} must not start or end with spaces.`);

export const CREDENTIAL_VALUE_SCHEMAS = {
  basic_auth: z.strictObject({
    username: sid("AC", "The Account SID"),
    password: secret("The Auth Token"),
  }),
  api_key: z.strictObject({
    account_sid: sid("AC", "The Account SID"),
    key_sid: sid("SK", "The API Key SID"),
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

export const credentialTypeSchema = z.enum(
  CREDENTIAL_TYPES,
  `credential_type must be one of: ${CREDENTIAL_TYPES.join(", ")}.`,
);

const graceSeconds = z.coerce
  .number("The grace period is a number of seconds.")
  .int()
  .min(0, "The grace period cannot be negative.")
  .max(30 * 86_400, "The grace period is at most 30 days.");

export const sealRequestSchema = z.object({
  credential_type: credentialTypeSchema,
  name: z.string().trim().min(1, "Name the credential.").max(100),
  values: z.record(z.string(), z.unknown(), "values must be an object."),
  grace_seconds: graceSeconds.optional(),
});

export const rotateRequestSchema = z.object({
  values: z.record(z.string(), z.unknown(), "values must be an object."),
  grace_seconds: graceSeconds.optional(),
});

// Console forms: flat fields, values named as in the API (`values.username` errors map back).
const optionalText = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());
const optionalGrace = z.preprocess((v) => (v === "" ? undefined : v), graceSeconds.optional());
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
  name: z.string().trim().min(1, "Name the credential.").max(100),
  grace_seconds: optionalGrace,
  ...valueFields,
});

export const rotateFormSchema = z.object({
  credentialId: z.string().min(1).max(64),
  grace_seconds: optionalGrace,
  ...valueFields,
});

export const credentialIdSchema = z.object({ credentialId: z.string().min(1).max(64) });

/** Only the fields that belong to `type`, so a stray field from another type is ignored. */
export function valuesFromForm(type: CredentialType, form: Record<string, unknown>) {
  const keys = Object.keys(CREDENTIAL_VALUE_SCHEMAS[type].shape);
  return Object.fromEntries(keys.map((k) => [k, form[k] ?? ""]));
}

export const tenantKeyKindSchema = z.object({ kind: z.enum(["signing", "vault"]) });

export const kmsSettingsSchema = z.object({
  provider: z.enum(["local", "aws-kms"], "Choose local or aws-kms."),
  keyArn: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(300).optional()),
});
