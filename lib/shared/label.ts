import { z } from "zod";
import { looksLikePhoneNumber } from "./phone";

/**
 * A name people give something (tenant, credential, integration, API key, person). Names are
 * kept in audit events, which never hold a phone number in the clear: a name that reads as
 * one is refused with a field error (400) instead of failing the audited change later.
 */
export const labelSchema = (empty: string, max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min, empty)
    .max(max)
    .refine(
      (value) => !looksLikePhoneNumber(value),
      "A name may not be a phone number (names are kept in the audit log, numbers are not).",
    );
