import {
  isSupportedCountry,
  ParseError,
  parsePhoneNumberFromString,
  parsePhoneNumberWithError,
  type CountryCode,
} from "libphonenumber-js";
import { AppError } from "@/lib/platform/errors/app-error";

// Every phone-number fact in one place: parsing to E.164 (libphonenumber-js), the E.164 shape,
// what counts as "looks like a phone number", and the country codes geo permissions accept.
// No server-only import: the integration form's schema (browser) checks the shape and countries.

const E164 = /^\+[1-9]\d{6,14}$/;
// "+" and digits (E.164, possibly formatted), or 10-15 bare digits.
const PHONE_LIKE = /^\+[\d\s().-]{7,20}$|^\d{10,15}$/;

/** Has the shape of an E.164 number: "+", a country code not starting with 0, 7-15 digits. */
export const isE164 = (value: string) => E164.test(value);

/** Might be a phone number, formatted or not: for guards that keep numbers out of places. */
export const looksLikePhoneNumber = (value: string) => PHONE_LIKE.test(value);

/** An ISO 3166-1 alpha-2 code of a country with phone numbers (upper case). */
export const isCountryCode = (code: string) => /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);

export interface ParsedPhone {
  e164: string;
  country: CountryCode | undefined;
}

/** E.164 form of a number that could exist (length and prefix), or null when it does not parse. */
export function toE164(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), { defaultCallingCode: undefined });
  return parsed?.isPossible() ? parsed.number : null;
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
