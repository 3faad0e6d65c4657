import "server-only";
import { and, asc, eq, desc, gt, inArray, isNotNull, isNull } from "drizzle-orm";
import { getDb } from "@/db";
import { memberships, users, invites, signInThrottles } from "@/db/schema";
import { throttleKey } from "@/lib/platform/auth/sign-in-throttle";

export async function listMembers({ tenantId }: { tenantId: string }) {
  return getDb()
    .select({
      membershipId: memberships.id,
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      since: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(asc(users.name));
}

export async function listPendingInvites({ tenantId }: { tenantId: string }) {
  return getDb()
    .select({
      id: invites.id,
      role: invites.role,
      expiresAt: invites.expiresAt,
      createdAt: invites.createdAt,
    })
    .from(invites)
    .where(
      and(
        eq(invites.tenantId, tenantId),
        isNull(invites.acceptedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(invites.createdAt));
}

/**
 * For the members page's account help: which members sign in with a password (a reset link
 * makes sense) and which are locked out now (Unlock). Keyed by user id; this tenant's only.
 */
export async function memberAccountStates({ tenantId }: { tenantId: string }) {
  const db = getDb();
  const rows = await db
    .select({ userId: users.id, email: users.email, hasPassword: isNotNull(users.passwordHash) })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId));
  const keyOf = new Map(rows.map((r) => [throttleKey(r.email), r.userId]));
  const locked =
    keyOf.size === 0
      ? []
      : await db
          .select({ key: signInThrottles.key })
          .from(signInThrottles)
          .where(
            and(
              inArray(signInThrottles.key, [...keyOf.keys()]),
              gt(signInThrottles.lockedUntil, new Date()),
            ),
          );
  const lockedUsers = new Set(locked.map((l) => keyOf.get(l.key)));
  return new Map(
    rows.map((r) => [
      r.userId,
      { hasPassword: Boolean(r.hasPassword), locked: lockedUsers.has(r.userId) },
    ]),
  );
}
