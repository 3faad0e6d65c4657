import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { auditChainHeads, auditEvents } from "@/db/schema";
import { eventHash, GENESIS_HASH } from "./chain";
import { fetchChainRows } from "./chain-rows";

export interface ChainVerification {
  ok: boolean;
  checked: number;
  headSeq: number;
  headHash: string;
  anchorSeq: number;
  firstBroken: { seq: number; id: string | null; reason: string } | null;
  durationMs: number;
}

const BATCH = 10_000;

/**
 * Walks the tenant's chain from its anchor (genesis, or the last purged event) to the head and
 * reports the first broken link: a missing seq, a prev_hash that is not the previous event's
 * hash, an event whose content no longer matches its hash, or a head that does not match.
 */
export async function verifyChain(tenantId: string): Promise<ChainVerification> {
  const started = performance.now();
  const db = getDb();
  const [head] = await db
    .select()
    .from(auditChainHeads)
    .where(eq(auditChainHeads.tenantId, tenantId));
  let pending: Promise<unknown> | null = null;
  const result = (
    checked: number,
    firstBroken: ChainVerification["firstBroken"],
  ): ChainVerification => {
    // Stopping early leaves a prefetched batch in flight; its outcome no longer matters.
    pending?.catch(() => undefined);
    return {
      ok: firstBroken === null,
      checked,
      headSeq: head?.seq ?? 0,
      headHash: head?.hash ?? GENESIS_HASH,
      anchorSeq: head?.anchorSeq ?? 0,
      firstBroken,
      durationMs: Math.round(performance.now() - started),
    };
  };
  if (!head) return result(0, null);

  const fetchAfter = (seq: number) =>
    fetchChainRows(eq(auditEvents.tenantId, tenantId), seq, null, BATCH);

  let prevHash = head.anchorHash;
  let expectedSeq = head.anchorSeq + 1;
  let checked = 0;
  // The next batch is fetched while this one is hashed: database and CPU work overlap.
  let next = fetchAfter(head.anchorSeq);
  for (;;) {
    const rows = await next;
    pending = null;
    const last = rows.at(-1);
    if (rows.length === BATCH && last) pending = next = fetchAfter(last.seq);
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return result(checked, {
          seq: expectedSeq,
          id: null,
          reason: `event ${expectedSeq} is missing`,
        });
      }
      if (row.prev_hash !== prevHash) {
        return result(checked, {
          seq: row.seq,
          id: row.id,
          reason: "prev_hash does not match the previous event's hash",
        });
      }
      if (eventHash(row.prev_hash, row) !== row.hash) {
        return result(checked, {
          seq: row.seq,
          id: row.id,
          reason: "content does not match its hash (altered)",
        });
      }
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < BATCH) break;
  }
  if (expectedSeq - 1 !== head.seq || prevHash !== head.hash) {
    return result(checked, {
      seq: expectedSeq,
      id: null,
      reason: `chain ends at ${expectedSeq - 1} but the head is at ${head.seq} (events removed or head altered)`,
    });
  }
  return result(checked, null);
}
