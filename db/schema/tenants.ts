import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn } from "./columns";

export const tenants = pgTable("tenants", {
  id: idColumn(),
  name: text("name").notNull(),
  /** Audit events older than this are purged (the chain stays verifiable from an anchor). */
  auditRetentionDays: integer("audit_retention_days").notNull().default(400),
  createdAt: createdAt(),
});

export type Tenant = typeof tenants.$inferSelect;
