import { pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { ts } from "./columns";
import { tenants } from "./tenants";

// The line type of a destination as Twilio Lookup v2 last answered it, per tenant and number
// (issue #21): reused for the integration's line_type_cache_hours. The number is kept only as
// its keyed hash (lib/platform/phone/fingerprint.ts, the audit log's), never as given.
export const lineTypeLookups = pgTable(
  "line_type_lookups",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    numberHash: text("number_hash").notNull(),
    /** Twilio's line_type_intelligence.type (mobile, landline, nonFixedVoip, …; null: unknown). */
    lineType: text("line_type"),
    carrier: text("carrier"),
    lookedUpAt: ts("looked_up_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.numberHash] })],
);

export type LineTypeLookup = typeof lineTypeLookups.$inferSelect;
