import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { ts } from "./columns";

// Failed sign-in counter per account key (a hash of the e-mail, whether or not the account
// exists, so the lockout itself does not reveal which e-mails are registered).
export const signInThrottles = pgTable("sign_in_throttles", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lockedUntil: ts("locked_until"),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
