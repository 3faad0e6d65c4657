import { boolean, doublePrecision, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { ts } from "./columns";

// Abuse controls live in PostgreSQL so they hold across server instances (lib/features/proxy/limits.ts).

/** Token buckets (one per integration + API key), refilled lazily in one atomic upsert. */
export const rateBuckets = pgTable("rate_buckets", {
  key: text("key").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  tokens: doublePrecision("tokens").notNull(),
  allowed: boolean("allowed").notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/**
 * Sliding windows (sends and verification checks per destination hash): the timestamps inside
 * the window, in one row per scope, so check-and-record is one atomic upsert.
 */
export const rateWindows = pgTable("rate_windows", {
  scope: text("scope").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  stamps: timestamp("stamps", { withTimezone: true, mode: "date" }).array().notNull(),
  allowed: boolean("allowed").notNull(),
});
