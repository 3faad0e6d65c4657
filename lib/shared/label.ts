import { z } from "zod";
import { looksLikePhoneNumber } from "./phone";
import { safeText } from "./text";

/**
 * A name people give something (tenant, credential, integration, API key, person). Names are
 * shown in the console and kept in audit events: one line, without control or text-direction
 * characters (lib/shared/text.ts), so a name reads as what it is. Audit events never hold a
 * phone number in the clear, so a name that reads as one is refused with a field error (400)
 * instead of failing the audited change later.
 */
export const labelSchema = (empty: string, max: number, min = 1) =>
  safeText(z.string().trim())
    .min(min, empty)
    .max(max)
    .refine(
      (value) => !looksLikePhoneNumber(value),
      "A name may not be a phone number (names are kept in the audit log, numbers are not).",
    );
