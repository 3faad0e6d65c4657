import { boolean, index, pgTable, text } from "drizzle-orm/pg-core";
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
    /** How the session was opened: `password`, `passkey` or `sso`. */
    method: text("method").notNull().default("password"),
    /** The OIDC issuer of an `sso` session. */
    ssoIssuer: text("sso_issuer"),
    /**
     * True between a correct password and the second factor of a member who has one: such a
     * session opens nothing but the second-factor page (lib/platform/auth/current-user.ts).
     */
    pendingSecondFactor: boolean("pending_second_factor").notNull().default(false),
    /** When the member last proved themselves (sign-in or step-up); sensitive actions need it recent. */
    stepUpAt: ts("step_up_at"),
    /** Shown to the member on their sessions page (their own address and browser). */
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
  },
  (t) => [index("user_sessions_user_idx").on(t.userId)],
);

export type UserSession = typeof userSessions.$inferSelect;
