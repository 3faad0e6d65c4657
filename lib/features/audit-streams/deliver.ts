import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { auditStreams, type AuditStream, type AuditStreamKind } from "@/db/schema";
import { logger } from "@/lib/platform/log/logger";
import { auditStreamSecretBinding } from "@/lib/platform/sealing/bindings";
import { openForTenant } from "@/lib/platform/sealing/store";
import { readBatch } from "./batch";
import { sendBatch } from "./send";

// Durable, ordered, at-least-once streaming. A stream is its own queue: its row holds the seq
// of the last event (and checkpoint) its receiver acknowledged. A worker claims a due stream
// with FOR UPDATE SKIP LOCKED and a lease (so one stream is sent by one worker at a time, in
// order, while several workers share many streams), sends the events after the cursor, and
// moves the cursor only after the receiver's 2xx, fenced by its claim token. A receiver outage
// is retried with exponential backoff and ±20 % jitter, forever: nothing is skipped. A worker
// that dies leaves its lease to run out; the batch is sent again and the receiver de-duplicates
// by event id.
const LEASE_SECONDS = 120;
const BACKOFF_SECONDS = [5, 15, 60, 300, 900, 1800, 3600];
const BATCH_LIMIT: Record<AuditStreamKind, number> = { webhook: 100, splunk: 100, s3: 1000 };
/** Batches one stream sends in one pass before it lets the others have the worker. */
const BATCHES_PER_PASS = 10;
/** An S3 stream writes at most one partly filled object a minute (objects, not a drip). */
const S3_FLUSH_SECONDS = 60;

type Claimed = AuditStream & { claimToken: string };

/** Claims up to `limit` due streams that have something to send; safe across processes. */
export async function claimDueStreams(limit = 10): Promise<Claimed[]> {
  const token = randomUUID();
  const rows = rowsOf<{ id: string }>(
    await getDb().execute(sql`
      update audit_streams s
      set locked_until = now() + make_interval(secs => ${LEASE_SECONDS}), claim_token = ${token}
      where s.id in (
        select st.id from audit_streams st
        where st.enabled and st.next_attempt_at <= now()
          and (st.locked_until is null or st.locked_until < now())
          and (exists (select 1 from audit_chain_heads h
                       where h.tenant_id = st.tenant_id and h.seq > st.cursor_seq)
            or exists (select 1 from audit_checkpoints c
                       where c.tenant_id = st.tenant_id and c.seq > st.checkpoint_seq
                         and c.seq <= st.cursor_seq))
        order by st.next_attempt_at
        limit ${limit}
        for update skip locked)
      returning s.id`),
  );
  if (rows.length === 0) return [];
  const claimed = await getDb()
    .select()
    .from(auditStreams)
    .where(and(eq(auditStreams.claimToken, token)));
  return claimed.map((s) => ({ ...s, claimToken: token }));
}

/**
 * One pass of the streaming job: claim due streams, send each its next batches. `shutdown`
 * aborted (the process is stopping) interrupts the sends in flight and hands their streams
 * back at once, the attempt not counted. Returns how many streams were claimed.
 */
export async function processDueStreams(limit = 10, shutdown?: AbortSignal): Promise<number> {
  const claimed = await claimDueStreams(limit);
  await Promise.all(claimed.map((s) => deliverStream(s, shutdown)));
  return claimed.length;
}

/** The rows of the stream, only while this worker's claim holds. */
const mine = (s: Claimed) =>
  and(
    eq(auditStreams.tenantId, s.tenantId),
    eq(auditStreams.id, s.id),
    eq(auditStreams.claimToken, s.claimToken),
  );

async function deliverStream(stream: Claimed, shutdown?: AbortSignal) {
  let { cursorSeq, checkpointSeq } = stream;
  let full = false;
  let failures = stream.consecutiveFailures;
  try {
    const { secret = "" } = await openForTenant(
      "auditStreamSecret",
      auditStreamSecretBinding(stream.tenantId, stream.id),
      { sealed: stream.secretSealed, vaultKeyId: stream.secretVaultKeyId },
    );
    for (let i = 0; i < BATCHES_PER_PASS && !shutdown?.aborted; i++) {
      const batch = await readBatch(
        stream.tenantId,
        cursorSeq,
        checkpointSeq,
        BATCH_LIMIT[stream.kind],
      );
      full = batch.full;
      if (batch.items.length === 0) break;
      await sendBatch({
        streamId: stream.id,
        tenantId: stream.tenantId,
        config: stream.config,
        secret,
        items: batch.items,
        signal: shutdown,
      });
      // Acknowledged: move the cursor (and the lease), unless the claim was lost meanwhile.
      const moved = await getDb()
        .update(auditStreams)
        .set({
          cursorSeq: batch.cursorSeq,
          checkpointSeq: batch.checkpointSeq,
          lastDeliveredAt: new Date(),
          consecutiveFailures: 0,
          lockedUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})`,
        })
        .where(mine(stream))
        .returning({ id: auditStreams.id });
      if (moved.length === 0) return;
      ({ cursorSeq, checkpointSeq } = batch);
      failures = 0;
      if (!batch.full) break;
    }
  } catch (error) {
    if (shutdown?.aborted) return release(stream, new Date());
    return failed(stream, failures + 1, error);
  }
  const wait = stream.kind === "s3" && !full ? S3_FLUSH_SECONDS : 0;
  await release(stream, new Date(Date.now() + wait * 1000));
}

/** Hands the stream back, due at `due`. */
async function release(stream: Claimed, due: Date) {
  await getDb()
    .update(auditStreams)
    .set({ lockedUntil: null, claimToken: null, nextAttemptAt: due })
    .where(mine(stream));
}

/** A failed batch: recorded, and retried after a backoff; the cursor stays where it was. */
async function failed(stream: Claimed, failures: number, error: unknown) {
  const delay = BACKOFF_SECONDS[Math.min(failures - 1, BACKOFF_SECONDS.length - 1)] ?? 3600;
  const wait = delay * (0.8 + Math.random() * 0.4);
  const message = (
    error instanceof Error
      ? error.cause instanceof Error
        ? error.cause.message
        : error.message
      : "failed"
  ).slice(0, 300);
  await getDb()
    .update(auditStreams)
    .set({
      lockedUntil: null,
      claimToken: null,
      consecutiveFailures: failures,
      lastError: message,
      lastErrorAt: new Date(),
      nextAttemptAt: new Date(Date.now() + wait * 1000),
    })
    .where(mine(stream));
  logger().info({ stream: stream.id, failures, error: message }, "audit stream batch failed");
}
