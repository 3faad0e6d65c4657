import { z } from "zod";
import { labelSchema } from "@/lib/shared/label";
import { API_KEY_SCOPES } from "@/lib/shared/api-key-scopes";
import { formInteger } from "@/lib/shared/form-integer";
import { idSchema } from "@/lib/shared/ids";
import { safeText } from "@/lib/shared/text";

export const createApiKeySchema = z.object({
  name: labelSchema("Name the key (e.g. the service that uses it).", 80),
  environment: z.enum(["live", "test"]).default("live"),
  scopes: z
    .preprocess(
      (v): unknown[] => (v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v]),
      z.array(z.string()),
    )
    .pipe(
      z
        .array(z.enum(API_KEY_SCOPES, "Unknown scope."))
        .min(1, "Choose at least one scope.")
        .transform((s) => [...new Set(s)]),
    ),
  /** The client's ML-KEM-768 public key, base64 (the console generates it in the browser). */
  clientPublicKey: z.preprocess(
    (v) => (v === "" ? undefined : v),
    safeText(z.string().max(4096, "That is not an ML-KEM-768 public key.")).optional(),
  ),
  expiresInDays: formInteger(
    z
      .int("Enter a whole number of days, or leave it empty for no expiry.")
      .min(1, "At least 1 day.")
      .max(3650, "At most 3650 days.")
      .optional(),
  ),
});

export const revokeApiKeySchema = z.object({ keyId: idSchema("apiKey", "Choose an API key.") });
