import { isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js";

// The browser-safe phone-number facts (the console's forms use them too): the E.164 shape,
// what counts as "looks like a phone number", the country codes geo permissions accept, and
// the E.164 form of a possible number, and how a number is shown. Parsing with errors lives in lib/platform/phone/parse.ts.

const E164 = /^\+[1-9]\d{6,14}$/;
// "+" and digits (E.164, possibly formatted), or 10-15 bare digits.
const PHONE_LIKE = /^\+[\d\s().-]{7,20}$|^\d{10,15}$/;

/** Has the shape of an E.164 number: "+", a country code not starting with 0, 7-15 digits. */
export const isE164 = (value: string) => E164.test(value);

/** Might be a phone number, formatted or not: for guards that keep numbers out of places. */
export const looksLikePhoneNumber = (value: string) => PHONE_LIKE.test(value);

/** An ISO 3166-1 alpha-2 code of a country with phone numbers (upper case). */
export const isCountryCode = (code: string) => /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);

/** E.164 form of a number that could exist (length and prefix), or null when it does not parse. */
export function toE164(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), { defaultCallingCode: undefined });
  return parsed?.isPossible() ? parsed.number : null;
}

/**
 * Full phone numbers never reach a page: they are shown as their last two digits, which is all
 * the audit log keeps of a destination. Accepts an E.164 number or the stored last digits.
 */
export function maskPhone(value: string): string {
  return `••••${value.replace(/\D/g, "").slice(-2)}`;
}
