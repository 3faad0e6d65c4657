import "server-only";
import { and, eq, lt, lte, max, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { auditChainHeads, auditEvents, tenants } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { systemActing } from "@/lib/platform/request-context/acting";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes the tenant's events older than its retention period. Only a prefix of the chain is
 * removed, and the last removed event's seq and hash become the head's anchor, so the chain
 * still verifies from there. The append-only trigger lets this transaction, and only this
 * one, delete (pqseal.audit_purge is set LOCAL to it).
 */
export async function purgeExpiredEvents(tenantId: string, now = new Date()): Promise<number> {
  const [tenant] = await getDb().select().from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) return 0;
  const cutoff = new Date(now.getTime() - tenant.auditRetentionDays * DAY_MS);
  return getDb().transaction(async (tx) => {
    const [head] = await tx
      .select()
      .from(auditChainHeads)
      .where(eq(auditChainHeads.tenantId, tenantId))
      .for("update");
    if (!head) return 0;
    const [bound] = await tx
      .select({ seq: max(auditEvents.seq) })
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), lt(auditEvents.occurredAt, cutoff)));
    const through = bound?.seq === null || bound?.seq === undefined ? 0 : Number(bound.seq);
    if (through <= head.anchorSeq) return 0;
    const [anchor] = await tx
      .select({ hash: auditEvents.hash })
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.seq, through)));
    if (!anchor) return 0;
    await tx.execute(sql`set local pqseal.audit_purge = 'on'`);
    await tx
      .delete(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), lte(auditEvents.seq, through)));
    // The chain is contiguous, so the prefix holds exactly this many events.
    const deleted = through - head.anchorSeq;
    // The anchor moves with the flag still on (migration 0011 allows it only then).
    await tx
      .update(auditChainHeads)
      .set({ anchorSeq: through, anchorHash: anchor.hash })
      .where(eq(auditChainHeads.tenantId, tenantId));
    await tx.execute(sql`set local pqseal.audit_purge = 'off'`);
    await recordAudit(tx, systemActing(tenantId), {
      action: "audit.purged",
      outcome: "succeeded",
      details: {
        purged_through_seq: through,
        purged_events: deleted,
        retention_days: tenant.auditRetentionDays,
        anchor_hash: anchor.hash,
      },
    });
    return deleted;
  });
}

export async function purgeAllTenants(now = new Date()): Promise<number> {
  const all = await getDb().select({ id: tenants.id }).from(tenants);
  let total = 0;
  for (const { id } of all) total += await purgeExpiredEvents(id, now);
  return total;
}
