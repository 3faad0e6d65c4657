import "server-only";
import { and, asc, eq, desc, gt, isNull } from "drizzle-orm";
import { getDb } from "@/db";
import { memberships, users, invites } from "@/db/schema";

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
