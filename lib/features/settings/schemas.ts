import { z } from "zod";
import { KMS_PROVIDERS } from "@/lib/shared/kms-providers";

export const retentionSchema = z.object({
  auditRetentionDays: z.coerce
    .number("Enter a number of days.")
    .int()
    .min(30, "Keep audit events at least 30 days.")
    .max(3650, "At most 3650 days (10 years)."),
});

export const tenantKeyKindSchema = z.object({ kind: z.enum(["signing", "vault"]) });

export const kmsSettingsSchema = z.object({
  provider: z.enum(KMS_PROVIDERS, "Choose local or aws-kms."),
  keyArn: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(300).optional()),
});

/** Where signed audit checkpoints are also sent; empty clears it. */
export const checkpointForwardSchema = z.object({
  checkpointForwardUrl: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? null : v),
    z.url("Enter an https:// URL, or leave it empty.").max(500).nullable(),
  ),
});
