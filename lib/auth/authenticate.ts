import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { users } from "@/db/schema";
import { dummyPasswordHash, verifyPassword } from "./password";
import { signInSchema } from "./schemas";
import { createSession } from "./sessions";
import { clearFailures, lockedUntil, recordFailure, throttleKey } from "./sign-in-throttle";

export type AuthenticateResult =
  | { ok: true; userId: string; email: string; name: string; sessionId: string }
  | { ok: false; code: "invalid_credentials" | "account_locked" };

/**
 * Checks e-mail and password with the lockout applied first. Unknown e-mails take the same
 * path (a dummy hash is verified, failures are counted), so neither the answer, the lockout
 * nor the timing tells whether an account exists.
 */
export async function authenticate(db: Db, input: unknown): Promise<AuthenticateResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "invalid_credentials" };
  const { email, password } = parsed.data;
  const key = throttleKey(email);
  if (await lockedUntil(db, key)) return { ok: false, code: "account_locked" };

  const [user] = await db.select().from(users).where(eq(users.email, email));
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !valid) {
    const locked = await recordFailure(db, key);
    return { ok: false, code: locked ? "account_locked" : "invalid_credentials" };
  }
  await clearFailures(db, key);
  const sessionId = await createSession(db, user.id);
  return { ok: true, userId: user.id, email: user.email, name: user.name, sessionId };
}
