import "server-only";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { getDb } from "@/db";
import { users, userSessions } from "@/db/schema";
import { findUsableReset } from "@/lib/platform/auth/password-reset";
import { deviceLabel } from "@/lib/shared/device-label";
import { resetTokenSchema } from "./schemas";

/** The member's open sessions (not revoked, not expired), newest first, scoped to the user. */
export async function listOwnSessions({ userId }: { userId: string }) {
  const rows = await getDb()
    .select({
      id: userSessions.id,
      method: userSessions.method,
      ip: userSessions.ip,
      userAgent: userSessions.userAgent,
      createdAt: userSessions.createdAt,
      lastSeenAt: userSessions.lastSeenAt,
    })
    .from(userSessions)
    .where(
      and(
        eq(userSessions.userId, userId),
        isNull(userSessions.revokedAt),
        eq(userSessions.pendingSecondFactor, false),
        gt(userSessions.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(userSessions.lastSeenAt));
  return rows.map(({ userAgent, ...row }) => ({ ...row, device: deviceLabel(userAgent) }));
}

/** Whether the member signs in with a password (a member from single sign-on has none). */
export async function hasPassword({ userId }: { userId: string }): Promise<boolean> {
  const [row] = await getDb()
    .select({ hash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  return Boolean(row?.hash);
}

/** Whether a reset link can still be used (for the reset page; using it is resetPassword). */
export async function resetLinkUsable(token: string): Promise<boolean> {
  const valid = resetTokenSchema.safeParse(token);
  return valid.success && (await findUsableReset(getDb(), valid.data)) !== null;
}
