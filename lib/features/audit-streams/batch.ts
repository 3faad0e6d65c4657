import "server-only";
import { and, asc, eq, gt, lte } from "drizzle-orm";
import { getDb } from "@/db";
import { auditCheckpoints, auditEvents } from "@/db/schema";
import { getSignedCheckpointOrThrow } from "@/lib/features/audit/checkpoints";
import { toApiEvent } from "@/lib/features/audit/api-event";

/** One line of a stream: an audit event or a signed checkpoint, with its id for de-duplication. */
export interface StreamItem {
  type: "pqseal-audit-event" | "pqseal-audit-checkpoint";
  id: string;
  /** The event's seq, or the seq of the chain head a checkpoint signs. */
  seq: number;
  /** When it happened (event) or was signed (checkpoint), ISO 8601. */
  at: string;
  /** What receivers get: `{ type, ...the event as GET /api/v2/audit/events returns it }`. */
  line: Record<string, unknown>;
}

export interface Batch {
  items: StreamItem[];
  /** The cursors after this batch is acknowledged. */
  cursorSeq: number;
  checkpointSeq: number;
  /** As many events as asked for: more are probably waiting. */
  full: boolean;
}

/**
 * The next `limit` events of the tenant after `cursorSeq`, oldest first, each checkpoint after
 * the event it signs. Read in one REPEATABLE READ snapshot: a checkpoint commits together with
 * its own `audit.checkpoint_signed` event (the event after the head it signs), so a snapshot
 * that holds the checkpoint holds the events it covers, and none is sent ahead of them. Appends
 * are serialised per tenant (the chain head lock), so a snapshot never holds seq n+1 without n:
 * reading `seq > cursor` skips nothing.
 */
export async function readBatch(
  tenantId: string,
  cursorSeq: number,
  checkpointSeq: number,
  limit: number,
): Promise<Batch> {
  const { events, checkpoints } = await getDb().transaction(
    async (tx) => {
      const events = await tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenantId), gt(auditEvents.seq, cursorSeq)))
        .orderBy(asc(auditEvents.seq))
        .limit(limit);
      const through = events.at(-1)?.seq ?? cursorSeq;
      const checkpoints = await tx
        .select({ id: auditCheckpoints.id, seq: auditCheckpoints.seq })
        .from(auditCheckpoints)
        .where(
          and(
            eq(auditCheckpoints.tenantId, tenantId),
            gt(auditCheckpoints.seq, checkpointSeq),
            lte(auditCheckpoints.seq, through),
          ),
        )
        .orderBy(asc(auditCheckpoints.seq));
      return { events, checkpoints };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  const items: StreamItem[] = events.map((row) => ({
    type: "pqseal-audit-event",
    id: row.id,
    seq: row.seq,
    at: row.occurredAt.toISOString(),
    line: { type: "pqseal-audit-event", ...toApiEvent(row) },
  }));
  for (const { id } of checkpoints) {
    // Rows never change but for the time stamp added after their commit (kept when present).
    const checkpoint = await getSignedCheckpointOrThrow({ tenantId, id });
    const item: StreamItem = {
      type: "pqseal-audit-checkpoint",
      id,
      seq: checkpoint.seq,
      at: checkpoint.signed_at,
      line: { type: "pqseal-audit-checkpoint", ...checkpoint },
    };
    // After the event it signs (a late checkpoint of events already sent goes first).
    const at = items.findIndex((i) => i.type === "pqseal-audit-event" && i.seq > checkpoint.seq);
    items.splice(at === -1 ? items.length : at, 0, item);
  }
  return {
    items,
    cursorSeq: events.at(-1)?.seq ?? cursorSeq,
    checkpointSeq: checkpoints.at(-1)?.seq ?? checkpointSeq,
    full: events.length === limit,
  };
}

/** The NDJSON body of a batch: one JSON object per line, each line ended by "\n". */
export const ndjson = (items: StreamItem[]): string =>
  items.map((i) => `${JSON.stringify(i.line)}\n`).join("");
