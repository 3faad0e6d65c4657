/** How much of a timestamp the console shows. */
export type DatePrecision = "day" | "minute" | "second";

const LENGTH: Record<DatePrecision, number> = { day: 10, minute: 16, second: 19 };

/** The full ISO 8601 UTC form of a date or date string, or null if it is not a date. */
export function isoDate(value: Date | string): string | null {
  const date = typeof value === "string" ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * The console's one date format: UTC, ISO 8601 order, a space instead of the "T"
 * ("2026-11-21 22:48"). UTC rather than the viewer's zone so that the server render and the
 * browser render agree (no hydration mismatch) and times line up with exports and logs.
 * A string that is not a date is returned as it is.
 */
export function formatDate(value: Date | string, precision: DatePrecision = "minute"): string {
  const iso = isoDate(value);
  return iso ? iso.slice(0, LENGTH[precision]).replace("T", " ") : String(value);
}
