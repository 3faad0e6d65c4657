import "server-only";
import { and, asc, eq, desc, gt, inArray, isNotNull, isNull } from "drizzle-orm";
import { getDb } from "@/db";
import { memberships, users, invites, signInThrottles } from "@/db/schema";
import { throttleKey } from "@/lib/platform/auth/sign-in-throttle";
import type { TenantContext } from "@/lib/platform/request-context/resolve-tenant";
import { usersBeyondReach } from "./account-reach";
import { mayTouch } from "./roles";

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

/** What the members page may offer for one member's account (the service refuses the rest). */
export interface AccountHelp {
  /** Locked out after failed sign-ins now. */
  locked: boolean;
  unlock: boolean;
  endSessions: boolean;
  /** Only for members who sign in with a password. */
  resetLink: boolean;
}

/**
 * For the members page: which account help the viewer may give each member of this tenant,
 * by the service's own rules (service.ts helpedMemberOrThrow): not themselves, owners only by
 * owners, no member who also belongs to a tenant the viewer does not own; Unlock only when
 * locked, a reset link only with a password. Keyed by user id; this tenant's only.
 */
export async function memberAccountHelp(
  viewer: Pick<TenantContext, "tenantId" | "userId" | "can">,
): Promise<Map<string, AccountHelp>> {
  const db = getDb();
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      role: memberships.role,
      hasPassword: isNotNull(users.passwordHash),
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, viewer.tenantId));
  const keyOf = new Map(rows.map((r) => [throttleKey(r.email), r.userId]));
  const [locked, beyond] = await Promise.all([
    keyOf.size === 0
      ? []
      : db
          .select({ key: signInThrottles.key })
          .from(signInThrottles)
          .where(
            and(
              inArray(signInThrottles.key, [...keyOf.keys()]),
              gt(signInThrottles.lockedUntil, new Date()),
            ),
          ),
    usersBeyondReach(db, {
      tenantId: viewer.tenantId,
      callerId: viewer.userId,
      userIds: rows.map((r) => r.userId),
    }),
  ]);
  const lockedUsers = new Set(locked.map((l) => keyOf.get(l.key)));
  return new Map(
    rows.map((r) => {
      const may = r.userId !== viewer.userId && mayTouch(viewer, r.role) && !beyond.has(r.userId);
      const isLocked = lockedUsers.has(r.userId);
      return [
        r.userId,
        {
          locked: isLocked,
          unlock: may && isLocked,
          endSessions: may,
          resetLink: may && Boolean(r.hasPassword),
        },
      ];
    }),
  );
}
