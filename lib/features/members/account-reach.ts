import "server-only";
import { and, eq, inArray, ne } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { memberships } from "@/db/schema";

/**
 * An account is shared by every tenant its user belongs to, and a reset link, an unlock or
 * ending sessions reaches all of them. So helping a member who also belongs to other tenants
 * needs the caller to be an owner of each of those too; otherwise an owner of a tenant anyone
 * can create would take over the account of whoever they invite.
 *
 * Returns the users (of `userIds`) the caller may NOT help from `tenantId`: those in some other
 * tenant the caller does not own. `lock` takes the caller's owner rows (shared) so a
 * concurrent demotion waits for the transaction that relies on them.
 */
export async function usersBeyondReach(
  db: Db | Tx,
  input: { tenantId: string; callerId: string; userIds: string[]; lock?: boolean },
): Promise<Set<string>> {
  if (input.userIds.length === 0) return new Set();
  const elsewhere = await db
    .select({ userId: memberships.userId, tenantId: memberships.tenantId })
    .from(memberships)
    .where(
      and(inArray(memberships.userId, input.userIds), ne(memberships.tenantId, input.tenantId)),
    );
  if (elsewhere.length === 0) return new Set();
  const owned = db
    .select({ tenantId: memberships.tenantId })
    .from(memberships)
    .where(
      and(
        eq(memberships.userId, input.callerId),
        eq(memberships.role, "owner"),
        inArray(memberships.tenantId, [...new Set(elsewhere.map((m) => m.tenantId))]),
      ),
    );
  const ownedIds = new Set(
    (await (input.lock ? owned.for("share") : owned)).map((m) => m.tenantId),
  );
  return new Set(elsewhere.filter((m) => !ownedIds.has(m.tenantId)).map((m) => m.userId));
}
