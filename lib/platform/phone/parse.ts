import "server-only";
import { ParseError, parsePhoneNumberWithError, type CountryCode } from "libphonenumber-js";
import { AppError } from "@/lib/platform/errors/app-error";

// Parsing a phone number a caller sent, with an error a person can act on. The plain facts
// (E.164 shape, country codes, possible numbers) are browser-safe: lib/shared/phone.ts.

export interface ParsedPhone {
  e164: string;
  country: CountryCode | undefined;
}

const PARSE_REASONS: Record<string, string> = {
  INVALID_COUNTRY: "it has no valid country calling code (write it as +<country code><number>)",
  NOT_A_NUMBER: "it is not a phone number",
  TOO_SHORT: "it is too short",
  TOO_LONG: "it is too long",
  INVALID_LENGTH: "its length is not valid",
};

/**
 * A number valid for its country, in E.164 with that country; otherwise 400
 * `invalid_phone_number` saying why, with the reason as the error of `field` (e.g. `payload.to`).
 */
export function parsePhone(value: string, field: string): ParsedPhone {
  let reason: string;
  try {
    const parsed = parsePhoneNumberWithError(value.trim());
    if (parsed.isValid()) return { e164: parsed.number, country: parsed.country };
    reason = "it is not a valid number for its country";
  } catch (error) {
    reason =
      error instanceof ParseError
        ? (PARSE_REASONS[error.message] ?? error.message)
        : "it could not be parsed";
  }
  throw new AppError("invalid_phone_number", `${field} is not a usable phone number: ${reason}.`, {
    fieldErrors: { [field]: [reason] },
    remediation: "Send numbers in E.164 format, e.g. +14155550100.",
  });
}
