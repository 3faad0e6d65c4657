import "server-only";
import { and, eq, gt, isNull, ne } from "drizzle-orm";
import type { Db } from "@/db";
import { userSessions, users } from "@/db/schema";
import type { RequestMeta } from "@/lib/platform/http/request-meta";
import { newId } from "@/lib/shared/ids";

// A session lives at most this long even when used all the time.
export const ABSOLUTE_SESSION_MS = 24 * 60 * 60 * 1000;
// last_seen_at is written at most once a minute per session.
const TOUCH_EVERY_MS = 60 * 1000;

type SessionMethod = "password" | "passkey" | "sso";

export interface NewSession {
  method: SessionMethod;
  /** A correct password of a member with a second factor: the session waits for it. */
  pendingSecondFactor?: boolean;
  meta?: RequestMeta;
  ssoIssuer?: string;
}

/**
 * Opens a session. A complete sign-in counts as a fresh proof (`step_up_at`), so a member acts
 * on sensitive things for STEP_UP_MINUTES after signing in without being asked again.
 */
export async function createSession(
  db: Pick<Db, "insert">,
  userId: string,
  session: NewSession,
  now = new Date(),
): Promise<string> {
  const id = newId("session");
  const pending = session.pendingSecondFactor ?? false;
  await db.insert(userSessions).values({
    id,
    userId,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + ABSOLUTE_SESSION_MS),
    method: session.method,
    ssoIssuer: session.ssoIssuer ?? null,
    pendingSecondFactor: pending,
    stepUpAt: pending ? null : now,
    ip: session.meta?.ip ?? null,
    userAgent: session.meta?.userAgent ?? null,
  });
  return id;
}

export interface SessionUser {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  method: SessionMethod;
  /** Password accepted, second factor not yet given: nothing but the second-factor page opens. */
  pendingSecondFactor: boolean;
  /** When the member last proved themselves (sign-in or step-up). */
  stepUpAt: Date | null;
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
      method: userSessions.method,
      pendingSecondFactor: userSessions.pendingSecondFactor,
      stepUpAt: userSessions.stepUpAt,
      createdAt: userSessions.createdAt,
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
  // A half-finished sign-in waits at most as long as a second factor reasonably takes.
  const pendingTooLong =
    row.pendingSecondFactor && now.getTime() - row.createdAt.getTime() > PENDING_SECOND_FACTOR_MS;
  if (idle > idleMs || pendingTooLong) {
    await revokeSession(db, sessionId, now);
    return null;
  }
  if (idle > TOUCH_EVERY_MS) {
    await db.update(userSessions).set({ lastSeenAt: now }).where(eq(userSessions.id, sessionId));
  }
  return {
    sessionId: row.sessionId,
    userId: row.userId,
    email: row.email,
    name: row.name,
    method: row.method as SessionMethod,
    pendingSecondFactor: row.pendingSecondFactor,
    stepUpAt: row.stepUpAt,
  };
}

/** How long a correct password waits for its second factor before the sign-in starts over. */
const PENDING_SECOND_FACTOR_MS = 10 * 60 * 1000;

/**
 * The second factor was given: the session opens everything its member may, and counts as a
 * fresh proof. False when no session changed (it was revoked or had expired meanwhile): the
 * sign-in did not complete.
 */
export async function completeSecondFactor(
  db: Pick<Db, "update">,
  sessionId: string,
  now = new Date(),
): Promise<boolean> {
  const rows = await db
    .update(userSessions)
    .set({ pendingSecondFactor: false, stepUpAt: now, lastSeenAt: now })
    .where(
      and(
        eq(userSessions.id, sessionId),
        isNull(userSessions.revokedAt),
        gt(userSessions.expiresAt, now),
      ),
    )
    .returning({ id: userSessions.id });
  return rows.length > 0;
}

/** A step-up succeeded: sensitive actions are open for STEP_UP_MINUTES from now. */
export async function recordStepUp(
  db: Pick<Db, "update">,
  sessionId: string,
  now = new Date(),
): Promise<void> {
  await db
    .update(userSessions)
    .set({ stepUpAt: now })
    .where(
      and(
        eq(userSessions.id, sessionId),
        isNull(userSessions.revokedAt),
        eq(userSessions.pendingSecondFactor, false),
      ),
    );
}

export async function revokeSession(
  db: Pick<Db, "update">,
  sessionId: string,
  now = new Date(),
): Promise<void> {
  await db
    .update(userSessions)
    .set({ revokedAt: now })
    .where(and(eq(userSessions.id, sessionId), isNull(userSessions.revokedAt)));
}

/**
 * Ends every open session of a user (a password reset, an owner's "end sessions"), or every
 * one but `except` (the member's own "sign out my other sessions"). Returns how many ended.
 */
export async function revokeUserSessions(
  db: Pick<Db, "update">,
  userId: string,
  options: { except?: string } = {},
  now = new Date(),
): Promise<number> {
  const rows = await db
    .update(userSessions)
    .set({ revokedAt: now })
    .where(
      and(
        eq(userSessions.userId, userId),
        isNull(userSessions.revokedAt),
        options.except ? ne(userSessions.id, options.except) : undefined,
      ),
    )
    .returning({ id: userSessions.id });
  return rows.length;
}
