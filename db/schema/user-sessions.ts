import { index, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn, ts } from "./columns";
import { users } from "./users";

// Server-side record of each console session: the JWT cookie carries only its id, so sign-out
// and member removal take effect at once, and idle expiry is enforced here, not by the cookie.
export const userSessions = pgTable(
  "user_sessions",
  {
    id: idColumn(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    lastSeenAt: ts("last_seen_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("user_sessions_user_idx").on(t.userId)],
);

export type UserSession = typeof userSessions.$inferSelect;
