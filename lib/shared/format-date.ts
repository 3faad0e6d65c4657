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

/**
 * formatDate with its zone named ("2026-11-21 22:48 UTC"), for text that is not a
 * <Timestamp> (a sentence in a message). A bare day names no zone.
 */
export function formatUtc(value: Date | string, precision: DatePrecision = "minute"): string {
  const text = formatDate(value, precision);
  return precision === "day" || isoDate(value) === null ? text : `${text} UTC`;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Largest first: the first unit that fits whole is used ("1 hour ago" from 60 minutes on).
const UNITS: [seconds: number, one: string, many: string][] = [
  [365 * DAY, "year", "years"],
  [30 * DAY, "month", "months"],
  [DAY, "day", "days"],
  [HOUR, "hour", "hours"],
  [MINUTE, "min", "min"],
];

/**
 * How far a time is from `now`, roughly, as a hint beside the absolute time: "3 min ago",
 * "in 2 days", "just now" (under 45 seconds). Null for a string that is not a date.
 */
export function relativeTime(value: Date | string, now: Date = new Date()): string | null {
  const iso = isoDate(value);
  if (iso === null) return null;
  const seconds = (new Date(iso).getTime() - now.getTime()) / 1000;
  const distance = Math.abs(seconds);
  if (distance < 45) return seconds <= 0 ? "just now" : "in under a minute";
  const [size, one, many] = UNITS.find(([s]) => distance >= s) ?? [MINUTE, "min", "min"];
  const count = Math.max(1, Math.floor(distance / size));
  const amount = `${count} ${count === 1 ? one : many}`;
  return seconds < 0 ? `${amount} ago` : `in ${amount}`;
}
