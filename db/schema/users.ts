import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, idColumn, ts } from "./columns";

export const users = pgTable(
  "users",
  {
    id: idColumn(),
    /** Stored lower-cased and trimmed; unique. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    /**
     * `scrypt$N$r$p$salt$hash` (lib/platform/auth/password.ts); null for a member who joined
     * through single sign-on and never set a password.
     */
    passwordHash: text("password_hash"),
    passwordChangedAt: ts("password_changed_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);

export type User = typeof users.$inferSelect;
