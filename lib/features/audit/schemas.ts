import { z } from "zod";
import { AUDIT_OUTCOMES } from "@/lib/shared/audit-vocabulary";
import { AUDIT_ACTION_NAMES } from "@/lib/shared/audit-vocabulary";
import { formInteger } from "@/lib/shared/form-integer";
import { safeText } from "@/lib/shared/text";

const optionalText = safeText(z.string().trim().max(200))
  .optional()
  .transform((v) => (v ? v : undefined));

// What a filter date may be: no event is older than 1970, and PostgreSQL's timestamps (and
// the ISO strings drivers write for them) end long before JavaScript's dates do (+275760).
const EARLIEST = Date.UTC(1970, 0, 1);
const AFTER_LATEST = Date.UTC(10_000, 0, 1);

const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const date = new Date(v);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({
        code: "custom",
        message: "Use an ISO 8601 date-time, e.g. 2026-11-21T10:00:00Z.",
      });
      return z.NEVER;
    }
    if (date.getTime() < EARLIEST || date.getTime() >= AFTER_LATEST) {
      ctx.addIssue({ code: "custom", message: "Use a date in the years 1970 to 9999." });
      return z.NEVER;
    }
    return date;
  });

/** Filters shared by the console page, the session JSON route, the v2 API and exports. */
export const auditFiltersSchema = z.object({
  from: optionalDate,
  to: optionalDate,
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
  /** A phone number; matched through its keyed HMAC, never stored or logged. */
  destination: optionalText,
});

export type AuditFilters = Partial<z.output<typeof auditFiltersSchema>>;

export const auditPageSchema = auditFiltersSchema.extend({
  cursor: formInteger(z.int("cursor is a next_cursor from a previous page.").positive().optional()),
  limit: formInteger(z.int("limit is a whole number.").min(1).max(200).default(50)),
});

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
