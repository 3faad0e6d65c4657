import { getCountries } from "libphonenumber-js";

// Country names for ISO 3166-1 alpha-2 codes, in English (Intl.DisplayNames), so refusals and
// pickers say "Guernsey (GG)" rather than a bare code. The console computes them on the server
// and hands them to the browser, so both show the same names.

let names: Intl.DisplayNames | undefined;

/** The English name of a region code ("GG" -> "Guernsey"); the code itself when unknown. */
export function countryName(code: string): string {
  names ??= new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });
  try {
    return names.of(code.toUpperCase()) ?? code;
  } catch {
    return code; // not a well-formed region code
  }
}

/** "Guernsey (GG)": the name a person reads and the code the API takes. */
export const countryLabel = (code: string) => `${countryName(code)} (${code.toUpperCase()})`;

export type CountryOption = { code: string; name: string };

/** Every country with phone numbers (the codes allowed_countries accepts), by name. */
export function phoneCountries(): CountryOption[] {
  return getCountries()
    .map((code) => ({ code, name: countryName(code) }))
    .sort((a, b) => a.name.localeCompare(b.name, "en"));
}
