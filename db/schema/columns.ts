import { text, timestamp } from "drizzle-orm/pg-core";

// Column sets shared by every table.
export const createdAt = () =>
  timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Prefixed ULID primary key (`ten_…`, `usr_…`), generated in lib/ids.ts. */
export const idColumn = () => text("id").primaryKey();
