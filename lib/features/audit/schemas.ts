import { z } from "zod";
import { AUDIT_OUTCOMES } from "@/lib/shared/audit-vocabulary";
import { AUDIT_ACTION_NAMES } from "@/lib/shared/audit-vocabulary";
import { formInteger } from "@/lib/shared/form-integer";
import { toE164 } from "@/lib/shared/phone";
import { safeText } from "@/lib/shared/text";

const optionalText = safeText(z.string().trim().max(200))
  .optional()
  .transform((v) => (v ? v : undefined));

// What a filter date may be: no event is older than 1970, and PostgreSQL's timestamps (and
// the ISO strings drivers write for them) end long before JavaScript's dates do (+275760).
const EARLIEST = Date.UTC(1970, 0, 1);
const AFTER_LATEST = Date.UTC(10_000, 0, 1);
const DAY_MS = 24 * 60 * 60 * 1000;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// A date and time without a zone (what datetime-local inputs send): read as UTC, the console's
// one zone, never as the server's local time.
const ZONELESS_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;

/** What the console's date pickers say of the rules below (a day is a UTC day). */
export const DATE_HINTS = {
  from: "From the start of that day (UTC).",
  to: "The whole day is included (UTC).",
} as const;
/** Said when a destination filter is not a number in international form. */
export const DESTINATION_HINT = "Use the international format, e.g. +44 7700 900123.";

/**
 * A calendar day (`2026-11-21`, what date pickers send) or an ISO 8601 date-time. A day in
 * `to` means through the end of that day (UTC): the range is inclusive, as people read it.
 */
function parseFilterDate(value: string, end: "from" | "to"): Date | null {
  const day = DATE_ONLY.exec(value);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const start = Date.UTC(year, month - 1, date);
    const back = new Date(start);
    // 2026-02-30 is no day (Date.UTC would roll it over to March 2).
    if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== date) return null;
    return new Date(end === "to" ? start + DAY_MS : start);
  }
  const date = new Date(ZONELESS_DATE_TIME.test(value) ? `${value}Z` : value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const optionalDate = (end: "from" | "to") =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const given = parseFilterDate(v, "from");
      if (!given) {
        ctx.addIssue({
          code: "custom",
          message: "Use a date such as 2026-11-21 (or an ISO 8601 date-time).",
        });
        return z.NEVER;
      }
      if (given.getTime() < EARLIEST || given.getTime() >= AFTER_LATEST) {
        ctx.addIssue({ code: "custom", message: "Use a date in the years 1970 to 9999." });
        return z.NEVER;
      }
      const date = end === "from" ? given : parseFilterDate(v, "to");
      // "To 9999-12-31" ends after the last date PostgreSQL is given: it bounds nothing.
      return date && date.getTime() < AFTER_LATEST ? date : undefined;
    });

// A number in national format ("07700 900123") has no country code to read it by: it would
// be fingerprinted as other digits and silently match nothing, so it is refused with the hint.
const optionalDestination = optionalText.superRefine((v, ctx) => {
  if (v !== undefined && !toE164(v)) ctx.addIssue({ code: "custom", message: DESTINATION_HINT });
});

/** Filters shared by the console page, the session JSON route, the v2 API and exports. */
export const auditFiltersSchema = z.object({
  from: optionalDate("from"),
  /** Exclusive as a date-time; a calendar day includes that whole day. */
  to: optionalDate("to"),
  action: z
    .enum(AUDIT_ACTION_NAMES, "Unknown action; see the documented vocabulary.")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  outcome: z
    .enum(AUDIT_OUTCOMES, "Use allowed, denied, failed or succeeded.")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** A user or API key id (usr_…, key_…), or an actor label (e-mail or key prefix). */
  actor: optionalText,
  integration: optionalText,
  target: optionalText,
  /** A phone number in international form; matched through its keyed HMAC, never stored or logged. */
  destination: optionalDestination,
});

export type AuditFilters = Partial<z.output<typeof auditFiltersSchema>>;

/** The filter parameters, in the order the console's form shows them. */
export const AUDIT_FILTER_NAMES = Object.keys(auditFiltersSchema.shape) as (keyof AuditFilters)[];

/** A range that ends before it starts, as a field error on `to` (null when it is fine). */
export function rangeProblem(filters: AuditFilters): Record<string, string[]> | null {
  return filters.from && filters.to && filters.to.getTime() <= filters.from.getTime()
    ? { to: ["“To” must not be before “From”."] }
    : null;
}

export const auditPageSchema = auditFiltersSchema.extend({
  cursor: formInteger(z.int("cursor is a next_cursor from a previous page.").positive().optional()),
  limit: formInteger(z.int("limit is a whole number.").min(1).max(200).default(50)),
});

export type AuditPageQuery = z.output<typeof auditPageSchema>;

export const exportFormatSchema = z.enum(["jsonl", "csv"], "Use format=jsonl or format=csv.");

/** The filters as plain strings (for links, export headers and audit details). */
export function filtersToParams(filters: AuditFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    out[key] = value instanceof Date ? value.toISOString() : String(value);
  }
  return out;
}
