import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "@/db";
import { userSessions, users } from "@/db/schema";
import { newId } from "@/lib/shared/ids";

// A session lives at most this long even when used all the time.
export const ABSOLUTE_SESSION_MS = 24 * 60 * 60 * 1000;
// last_seen_at is written at most once a minute per session.
const TOUCH_EVERY_MS = 60 * 1000;

export async function createSession(db: Db, userId: string, now = new Date()): Promise<string> {
  const id = newId("session");
  await db.insert(userSessions).values({
    id,
    userId,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + ABSOLUTE_SESSION_MS),
  });
  return id;
}

export interface SessionUser {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
}

/** The session's user if the session is neither revoked, expired nor idle for too long. */
export async function validateSession(
  db: Db,
  sessionId: string,
  idleMs: number,
  now = new Date(),
): Promise<SessionUser | null> {
  const [row] = await db
    .select({
      sessionId: userSessions.id,
      lastSeenAt: userSessions.lastSeenAt,
      userId: users.id,
      email: users.email,
      name: users.name,
    })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(
      and(
        eq(userSessions.id, sessionId),
        isNull(userSessions.revokedAt),
        gt(userSessions.expiresAt, now),
      ),
    );
  if (!row) return null;
  const idle = now.getTime() - row.lastSeenAt.getTime();
  if (idle > idleMs) {
    await revokeSession(db, sessionId, now);
    return null;
  }
  if (idle > TOUCH_EVERY_MS) {
    await db.update(userSessions).set({ lastSeenAt: now }).where(eq(userSessions.id, sessionId));
  }
  return { sessionId: row.sessionId, userId: row.userId, email: row.email, name: row.name };
}

export async function revokeSession(db: Db, sessionId: string, now = new Date()): Promise<void> {
  await db
    .update(userSessions)
    .set({ revokedAt: now })
    .where(and(eq(userSessions.id, sessionId), isNull(userSessions.revokedAt)));
}
