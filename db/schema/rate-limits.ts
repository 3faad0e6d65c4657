import { doublePrecision, index, pgTable, text, boolean, bigserial } from "drizzle-orm/pg-core";
import { ts } from "./columns";

// Abuse controls live in PostgreSQL so they hold across server instances (lib/proxy/limits.ts).

/** Token buckets (one per integration + API key), refilled lazily in one atomic upsert. */
export const rateBuckets = pgTable("rate_buckets", {
  key: text("key").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  tokens: doublePrecision("tokens").notNull(),
  allowed: boolean("allowed").notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Sliding-window events (sends and verification checks per destination hash). */
export const rateEvents = pgTable(
  "rate_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: text("tenant_id").notNull(),
    scope: text("scope").notNull(),
    at: ts("at").notNull().defaultNow(),
  },
  (t) => [
    index("rate_events_scope_at_idx").on(t.scope, t.at),
    index("rate_events_at_idx").on(t.at),
  ],
);
