import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db";
import { users, userSessions } from "@/db/schema";
import { auditInTenants } from "@/lib/platform/auth/authenticate";
import { hashPassword, verifyPassword } from "@/lib/platform/auth/password";
import { passwordProblem } from "@/lib/platform/auth/password-policy";
import { voidOpenResets } from "@/lib/platform/auth/password-reset";
import { revokeUserSessions } from "@/lib/platform/auth/sessions";
import { lockedUntil, recordFailure, throttleKey } from "@/lib/platform/auth/sign-in-throttle";
import { AppError, notFound } from "@/lib/platform/errors/app-error";
import type { UserContext } from "@/lib/platform/request-context/user-action";

const accountOf = ({ user }: UserContext) => ({ id: user.userId, email: user.email });

/**
 * Changes the member's password: the current one is required (a wrong one counts as a failed
 * sign-in, so a left-open session cannot be used to guess it), the new one must pass the
 * policy. Every other session of the member ends (this one stays), and so does every open
 * reset link.
 */
export async function changePassword(
  ctx: UserContext,
  input: { currentPassword: string; newPassword: string },
): Promise<{ sessionsEnded: number }> {
  const db = getDb();
  const [row] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, ctx.user.userId));
  if (!row?.passwordHash) {
    throw new AppError("invalid_input", "Your account signs in through single sign-on.", {
      remediation: "Change your password at your organisation's identity provider.",
    });
  }
  const key = throttleKey(ctx.user.email);
  if (await lockedUntil(db, key)) {
    throw new AppError("account_locked", "Too many wrong passwords. Try again in 15 minutes.");
  }
  if (!(await verifyPassword(input.currentPassword, row.passwordHash))) {
    const locked = await recordFailure(db, key);
    throw new AppError("invalid_credentials", "Your current password is not right.", {
      fieldErrors: {
        currentPassword: [
          locked
            ? "Too many wrong passwords: sign-in is locked for 15 minutes."
            : "Your current password is not right.",
        ],
      },
    });
  }
  const problem = passwordProblem(input.newPassword, ctx.user);
  if (problem) {
    throw new AppError("weak_password", problem, { fieldErrors: { newPassword: [problem] } });
  }
  if (input.newPassword === input.currentPassword) {
    const same = "Choose a password different from the current one.";
    throw new AppError("weak_password", same, { fieldErrors: { newPassword: [same] } });
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    const now = new Date();
    await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: now })
      .where(eq(users.id, ctx.user.userId));
    // A reset link asked for before (by the member, or by someone who had the mailbox) no
    // longer sets the password.
    await voidOpenResets(tx, ctx.user.userId, now);
    const ended = await revokeUserSessions(
      tx,
      ctx.user.userId,
      { except: ctx.user.sessionId },
      now,
    );
    await auditInTenants(tx, accountOf(ctx), "auth.password_changed", "succeeded", ctx.meta, {
      session_id: ctx.user.sessionId,
      sessions_ended: ended,
    });
    return { sessionsEnded: ended };
  });
}

/**
 * Ends one of the member's own sessions. The session is looked up by id AND the caller's user
 * id, so another member's session id answers not found and nothing changes.
 */
export async function revokeOwnSession(
  ctx: UserContext,
  input: { sessionId: string },
): Promise<void> {
  await getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(userSessions)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(userSessions.id, input.sessionId),
          eq(userSessions.userId, ctx.user.userId),
          isNull(userSessions.revokedAt),
        ),
      )
      .returning({ id: userSessions.id });
    if (!row) throw notFound("Session");
    await auditInTenants(tx, accountOf(ctx), "auth.session_revoked", "succeeded", ctx.meta, {
      session_id: row.id,
      by: "self",
    });
  });
}

/** "Sign out all other sessions": every session of the member but this one. */
export async function revokeOtherSessions(ctx: UserContext): Promise<number> {
  return getDb().transaction(async (tx) => {
    const ended = await revokeUserSessions(tx, ctx.user.userId, { except: ctx.user.sessionId });
    if (ended > 0) {
      await auditInTenants(tx, accountOf(ctx), "auth.session_revoked", "succeeded", ctx.meta, {
        by: "self",
        count: ended,
        kept_session_id: ctx.user.sessionId,
      });
    }
    return ended;
  });
}
