import { z } from "zod";
import { formInteger } from "@/lib/shared/form-integer";
import { KMS_PROVIDERS } from "@/lib/shared/kms-providers";
import { safeText } from "@/lib/shared/text";

export const retentionSchema = z.object({
  auditRetentionDays: formInteger(
    z
      .int("Enter a whole number of days.")
      .min(30, "Keep audit events at least 30 days.")
      .max(3650, "At most 3650 days (10 years)."),
  ),
});

/** A checkbox: present ("on") when ticked, absent when not. */
export const mfaPolicySchema = z.object({
  requireMfa: z
    .literal("on")
    .optional()
    .transform((v) => v === "on"),
});

export const tenantKeyKindSchema = z.object({
  kind: z.enum(["signing", "vault"]),
  /** Signing keys: hours until the new key signs (ENVELOPE.md §9.1); empty: the default. */
  switchoverHours: formInteger(
    z
      .int("Enter a whole number of hours.")
      .min(0, "0 switches at once.")
      .max(720, "At most 720 hours (30 days)."),
  ).optional(),
});

export const kmsSettingsSchema = z.object({
  provider: z.enum(KMS_PROVIDERS, "Choose local or aws-kms."),
  keyArn: z.preprocess(
    (v) => (v === "" ? undefined : v),
    safeText(z.string().trim().max(300)).optional(),
  ),
});

/** Where signed audit checkpoints are also sent; empty clears it. */
export const checkpointForwardSchema = z.object({
  checkpointForwardUrl: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? null : v),
    safeText(z.url("Enter an https:// URL, or leave it empty.").max(500)).nullable(),
  ),
});
