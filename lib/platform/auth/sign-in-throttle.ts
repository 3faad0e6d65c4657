import "server-only";
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { signInThrottles } from "@/db/schema";

export const MAX_FAILURES = 5;
export const COOLDOWN_MS = 15 * 60 * 1000;

/** Keyed by a hash of the normalised e-mail, so unknown e-mails lock the same way as known ones. */
export function throttleKey(email: string): string {
  return createHash("sha256").update(`sign-in:${email.trim().toLowerCase()}`).digest("hex");
}

/** When the account is in its cooldown, the time it ends; otherwise null. */
export async function lockedUntil(db: Db, key: string, now = new Date()): Promise<Date | null> {
  const [row] = await db
    .select({ lockedUntil: signInThrottles.lockedUntil })
    .from(signInThrottles)
    .where(eq(signInThrottles.key, key));
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

/**
 * Counts one failure atomically. A cooldown that has ended, or failures older than the window,
 * start a fresh count. Returns the end of the cooldown when this failure triggered one.
 */
export async function recordFailure(db: Db, key: string, now = new Date()): Promise<Date | null> {
  return (await recordAttempt(db, key, now)) >= MAX_FAILURES
    ? new Date(now.getTime() + COOLDOWN_MS)
    : null;
}

/**
 * Counts one attempt atomically, as recordFailure does, and returns its number within the
 * window; the MAX_FAILURES-th (and any later one) locks the key. Counted before a guess is
 * checked (clearFailures forgets it after a success), concurrent attempts each get their own
 * number, so no more than MAX_FAILURES guesses are checked however many arrive at once.
 */
export async function recordAttempt(db: Db, key: string, now = new Date()): Promise<number> {
  const windowStart = new Date(now.getTime() - COOLDOWN_MS);
  const lockEnd = new Date(now.getTime() + COOLDOWN_MS);
  // Dates inside raw sql are passed as ISO text: the postgres driver does not serialise Date there.
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  const windowSql = sql`${windowStart.toISOString()}::timestamptz`;
  const stale = sql`(${signInThrottles.lockedUntil} is not null and ${signInThrottles.lockedUntil} <= ${nowSql})
    or (${signInThrottles.lockedUntil} is null and ${signInThrottles.updatedAt} < ${windowSql})`;
  const [row] = await db
    .insert(signInThrottles)
    .values({ key, failures: 1, updatedAt: now })
    .onConflictDoUpdate({
      target: signInThrottles.key,
      set: {
        failures: sql`case when ${stale} then 1 else ${signInThrottles.failures} + 1 end`,
        lockedUntil: sql`case when ${stale} then null else ${signInThrottles.lockedUntil} end`,
        updatedAt: now,
      },
    })
    .returning({ failures: signInThrottles.failures });
  const failures = row?.failures ?? 0;
  if (failures >= MAX_FAILURES) {
    await db
      .update(signInThrottles)
      .set({ lockedUntil: lockEnd })
      .where(eq(signInThrottles.key, key));
  }
  return failures;
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.delete(signInThrottles).where(eq(signInThrottles.key, key));
}
