import "server-only";
import { hash } from "node:crypto";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { and, eq } from "drizzle-orm";
import { getDb, getDbHandle } from "@/db";
import { auditChainHeads, auditEvents } from "@/db/schema";
import { env } from "@/lib/platform/config/env";
import { logger } from "@/lib/platform/log/logger";
import { eventHash, GENESIS_HASH } from "@/lib/platform/audit/chain";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import type { Acting } from "@/lib/platform/request-context/acting";

import {
  lineFetcher,
  newSegment,
  runSegment,
  TENANT_WHERE,
  type Broken,
  type Segment,
} from "@/lib/platform/audit/chain-lines.mjs";
import { fetchChainRows, type ChainRow } from "./chain-rows";
import { latestCheckpoint, verifyCheckpoint } from "./checkpoints";

export interface ChainVerification {
  ok: boolean;
  checked: number;
  headSeq: number;
  headHash: string;
  anchorSeq: number;
  firstBroken: { seq: number; id: string | null; reason: string } | null;
  /** Worker threads that checked a segment (0: all in this process). */
  workers: number;
  durationMs: number;
}

export interface VerifyOptions {
  /** Worker threads for a long chain (default: one per core). */
  workers?: number;
  /** A chain is split across workers only when each gets at least this many events. */
  minEventsPerWorker?: number;
}

const BATCH = 10_000;
const MIN_EVENTS_PER_WORKER = 50_000;
const sha256 = (text: string) => hash("sha256", text, "hex");

/**
 * Walks the tenant's chain from its anchor (genesis, or the last purged event) to the head and
 * reports the first broken link: a missing seq, a prev_hash that is not the previous event's
 * hash, an event whose content no longer matches its hash, or a head that does not match.
 *
 * The chain is cut into segments checked at once: on PostgreSQL, a long chain gets one worker
 * thread per core, each with its own connection (lib/features/audit/verify-worker.mjs). Segments read
 * events through the fast path of lib/platform/audit/chain-lines.mjs; what it cannot confirm, and the
 * links between segments, are settled here by the exact encoding of lib/platform/audit/chain.ts.
 */
export async function verifyChain(
  tenantId: string,
  options: VerifyOptions = {},
): Promise<ChainVerification> {
  const started = performance.now();
  const [head] = await getDb()
    .select()
    .from(auditChainHeads)
    .where(eq(auditChainHeads.tenantId, tenantId));
  let inWorkers = 0;
  const result = (
    checked: number,
    firstBroken: ChainVerification["firstBroken"],
  ): ChainVerification => ({
    ok: firstBroken === null,
    checked,
    headSeq: head?.seq ?? 0,
    headHash: head?.hash ?? GENESIS_HASH,
    anchorSeq: head?.anchorSeq ?? 0,
    firstBroken,
    workers: inWorkers,
    durationMs: Math.round(performance.now() - started),
  });
  if (!head) return result(0, null);

  const total = head.seq - head.anchorSeq;
  const databaseUrl = env().DATABASE_URL;
  const workers =
    getDbHandle().driver === "postgres" && databaseUrl
      ? Math.min(
          options.workers ?? availableParallelism(),
          Math.floor(total / (options.minEventsPerWorker ?? MIN_EVENTS_PER_WORKER)),
        )
      : 0;
  const bounds = segmentBounds(head.anchorSeq, head.seq, Math.max(1, workers));
  const segments = await Promise.all(
    bounds.map(([from, through]) =>
      workers > 1 && databaseUrl
        ? inWorker({ databaseUrl, tenantId, from, through, batch: BATCH }).then(
            (segment) => {
              inWorkers += 1;
              return segment;
            },
            (error: unknown) => {
              logger().warn({ err: error }, "audit verify worker failed: checking in process");
              return inProcess(tenantId, from, through);
            },
          )
        : inProcess(tenantId, from, through),
    ),
  );

  // Links between segments, then the suspects, by the exact encoding.
  const breaks: Broken[] = [];
  let before: string | null = head.anchorHash;
  for (const s of segments) {
    if (s.firstPrevHash !== null && before !== null && s.firstPrevHash !== before)
      breaks.push({
        seq: s.from + 1,
        reason: "prev_hash does not match the previous event's hash",
      });
    if (s.broken) breaks.push(s.broken);
    before = s.lastHash;
  }
  const last = segments.at(-1);
  const lastHash = total === 0 ? head.anchorHash : last?.lastHash;
  if (!last?.broken && lastHash != null && lastHash !== head.hash)
    breaks.push({ seq: head.seq, reason: HEAD_MISMATCH });
  const limit = Math.min(...breaks.map((b) => b.seq));
  const suspects = segments.flatMap((s) => s.suspects).filter((seq) => seq < limit);
  breaks.push(...(await checkExactly(tenantId, head, suspects)));
  breaks.push(...(await checkAgainstCheckpoint(tenantId, head)));

  const first = breaks.reduce<Broken | null>((a, b) => (a && a.seq <= b.seq ? a : b), null);
  if (!first) return result(total, null);
  const [row] = await getDb()
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(eqSeq(tenantId, first.seq));
  return result(first.seq - head.anchorSeq - 1, {
    seq: first.seq,
    id: first.reason.endsWith("is missing") ? null : (row?.id ?? null),
    reason: first.reason,
  });
}

/**
 * Verifies the tenant's chain and records that it was verified, with the result
 * (`audit.verified`): the console's "Verify chain" and POST /api/v2/audit/verify.
 */
export async function verifyAndRecord(by: Acting): Promise<ChainVerification> {
  const result = await verifyChain(by.tenantId);
  await getDb().transaction((tx) =>
    recordAudit(tx, by, {
      action: "audit.verified",
      outcome: result.ok ? "succeeded" : "failed",
      details: {
        checked: result.checked,
        head_seq: result.headSeq,
        first_broken_seq: result.firstBroken?.seq ?? null,
      },
    }),
  );
  return result;
}

/**
 * The head row is an ordinary row: someone who can write the database can delete the newest
 * events and move the head back. The newest signed checkpoint says how long the chain was and
 * what its head hash was then, so a chain that is shorter, or whose event at that seq differs,
 * is broken. (Events after the newest checkpoint are covered by the next one: the job signs
 * one every AUDIT_CHECKPOINT_INTERVAL_MINUTES when the chain has grown.)
 */
async function checkAgainstCheckpoint(
  tenantId: string,
  head: typeof auditChainHeads.$inferSelect,
): Promise<Broken[]> {
  const checkpoint = await latestCheckpoint(tenantId);
  if (!checkpoint) return [];
  if (!verifyCheckpoint(checkpoint)) {
    return [{ seq: checkpoint.seq, reason: "the newest signed checkpoint does not verify" }];
  }
  if (checkpoint.seq > head.seq) {
    return [
      {
        seq: head.seq + 1,
        reason: `the chain ends at seq ${head.seq}, but a signed checkpoint covers seq ${checkpoint.seq}: events were removed`,
      },
    ];
  }
  // At or below the anchor the events were purged; the anchor itself is checked when it is the one signed.
  if (checkpoint.seq < head.anchorSeq) return [];
  const signedHash =
    checkpoint.seq === head.anchorSeq
      ? head.anchorHash
      : (
          await getDb()
            .select({ hash: auditEvents.hash })
            .from(auditEvents)
            .where(eqSeq(tenantId, checkpoint.seq))
        )[0]?.hash;
  return signedHash === checkpoint.head_hash
    ? []
    : [
        {
          seq: checkpoint.seq,
          reason: "the event does not match the signed checkpoint at this seq",
        },
      ];
}

const HEAD_MISMATCH =
  "the chain head does not match the last event (events removed or head altered)";

const eqSeq = (tenantId: string, seq: number) =>
  and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.seq, seq));

/** (anchor, head] cut into `n` consecutive ranges of about equal size. */
function segmentBounds(anchor: number, headSeq: number, n: number): [number, number][] {
  const size = Math.ceil((headSeq - anchor) / n);
  return Array.from({ length: n }, (_, i) => [
    anchor + i * size,
    Math.min(headSeq, anchor + (i + 1) * size),
  ]);
}

function inProcess(tenantId: string, from: number, through: number): Promise<Segment> {
  const lines = lineFetcher(getDbHandle().query, TENANT_WHERE, [tenantId], through);
  return runSegment(newSegment(from, through), (after) => lines(after, BATCH), sha256, BATCH);
}

interface WorkerJob {
  databaseUrl: string;
  tenantId: string;
  from: number;
  through: number;
  batch: number;
}

function inWorker(job: WorkerJob): Promise<Segment> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./verify-worker.mjs", import.meta.url), {
      workerData: job,
    });
    worker.once("message", (m: { ok: true; segment: Segment } | { ok: false; error: string }) =>
      m.ok ? resolve(m.segment) : reject(new Error(m.error)),
    );
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`audit verify worker exited (${code})`)));
  });
}

/**
 * The events the fast path could not confirm, checked with the exact encoding together with
 * their links to both neighbours (and to the head).
 */
async function checkExactly(
  tenantId: string,
  head: { seq: number; hash: string; anchorSeq: number; anchorHash: string },
  suspects: number[],
): Promise<Broken[]> {
  const breaks: Broken[] = [];
  for (let i = 0; i < suspects.length;) {
    // One read per run of consecutive suspects, with one neighbour on each side.
    let j = i;
    while (j + 1 < suspects.length && suspects[j + 1] === (suspects[j] ?? 0) + 1) j++;
    const first = suspects[i] ?? 0;
    const lastSeq = suspects[j] ?? 0;
    const after = Math.max(head.anchorSeq, first - 2);
    const through = Math.min(head.seq, lastSeq + 1);
    const rows = new Map<number, ChainRow>();
    for (let at = after; at < through;) {
      const batch = await fetchChainRows(eq(auditEvents.tenantId, tenantId), at, through, BATCH);
      for (const row of batch) rows.set(row.seq, row);
      if (batch.length < BATCH) break;
      at = batch.at(-1)?.seq ?? through;
    }
    for (let seq = first; seq <= lastSeq; seq++) {
      const row = rows.get(seq);
      if (!row) {
        breaks.push({ seq, reason: `event ${seq} is missing` });
        break;
      }
      const prevHash = seq - 1 === head.anchorSeq ? head.anchorHash : rows.get(seq - 1)?.hash;
      if (prevHash !== undefined && row.prev_hash !== prevHash)
        breaks.push({ seq, reason: "prev_hash does not match the previous event's hash" });
      else if (eventHash(row.prev_hash, row) !== row.hash)
        breaks.push({ seq, reason: "content does not match its hash (altered)" });
      const next = rows.get(seq + 1);
      if (next && next.prev_hash !== row.hash)
        breaks.push({
          seq: seq + 1,
          reason: "prev_hash does not match the previous event's hash",
        });
      if (seq === head.seq && row.hash !== head.hash) breaks.push({ seq, reason: HEAD_MISMATCH });
    }
    i = j + 1;
  }
  return breaks;
}
