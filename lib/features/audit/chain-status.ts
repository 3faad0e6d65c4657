import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { auditChainHeads, auditEvents } from "@/db/schema";
import { latestCheckpoint } from "./checkpoints";

/** The integrity card's facts: the chain head, the newest checkpoint, the last verification. */
export interface ChainStatus {
  headSeq: number;
  headAt: Date | null;
  checkpoint: { seq: number; signedAt: string; fingerprint: string; algorithm: string } | null;
  /** Events after the newest checkpoint (the first is the record of its own signing). */
  eventsSinceCheckpoint: number;
  lastVerification: {
    at: Date;
    ok: boolean;
    /** The head the verification walked to, or where it found the chain broken. */
    headSeq: number | null;
    firstBrokenSeq: number | null;
    by: string | null;
  } | null;
}

const numberOr = (value: unknown) => (typeof value === "number" ? value : null);

export async function chainStatus(tenantId: string): Promise<ChainStatus> {
  const [[head], checkpoint, [verified]] = await Promise.all([
    getDb()
      .select({ seq: auditChainHeads.seq, at: auditChainHeads.lastOccurredAt })
      .from(auditChainHeads)
      .where(eq(auditChainHeads.tenantId, tenantId)),
    latestCheckpoint(tenantId),
    getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, "audit.verified")))
      .orderBy(desc(auditEvents.seq))
      .limit(1),
  ]);
  const headSeq = head?.seq ?? 0;
  return {
    headSeq,
    headAt: head?.at ?? null,
    checkpoint: checkpoint && {
      seq: checkpoint.seq,
      signedAt: checkpoint.signed_at,
      fingerprint: checkpoint.fingerprint,
      algorithm: checkpoint.algorithm,
    },
    eventsSinceCheckpoint: checkpoint ? Math.max(0, headSeq - checkpoint.seq) : headSeq,
    lastVerification: verified
      ? {
          at: verified.occurredAt,
          ok: verified.outcome === "succeeded",
          headSeq: numberOr(verified.details.head_seq),
          firstBrokenSeq: numberOr(verified.details.first_broken_seq),
          by: verified.actorLabel,
        }
      : null,
  };
}
