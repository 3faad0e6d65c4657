import { pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn } from "./columns";

export const tenants = pgTable("tenants", {
  id: idColumn(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export type Tenant = typeof tenants.$inferSelect;
