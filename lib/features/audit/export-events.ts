import "server-only";
import {
  currentSigningKey,
  getSigningKeyOrThrow,
  signWith,
} from "@/lib/platform/keys/signing-keys";
import { looksLikePhoneNumber, maskPhone } from "@/lib/shared/phone";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { and, eq, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { getDb, getDbHandle } from "@/db";
import { auditChainHeads } from "@/db/schema";
import { CSV_COLUMNS, exportWindow, type ExportWindow } from "./export-lines.mjs";
import type { Acting } from "@/lib/platform/request-context/acting";
import { recordAudit, type AuditEvent } from "@/lib/platform/audit/record-audit";
import { CHAIN_VERSION, exportHeaderMessage, GENESIS_HASH } from "@/lib/platform/audit/chain";
import { env } from "@/lib/platform/config/env";
import { logger } from "@/lib/platform/log/logger";
import { signCheckpoint, type CheckpointFacts, type SignedCheckpoint } from "./checkpoints";
import { filterConditions } from "./queries";
import { filtersToParams, type AuditFilters } from "./schemas";

const BATCH = 2_000;
/** Seqs per window: the unit of work handed to an export worker. */
const WINDOW = 5_000;
/** Exports spanning fewer seqs than this run in this process. */
const MIN_SEQS_FOR_WORKERS = 20_000;

/** An export, asked for by `Acting` (its actor is recorded with `audit.exported`). */
export interface ExportRequest extends Acting {
  filters: AuditFilters;
  format: "jsonl" | "csv";
  /** Tuning: worker threads (0: in this process), seqs per window, and from what size. */
  parallel?: { workers?: number; window?: number; minSeqs?: number };
}

/**
 * Prepares an export: signs a fresh checkpoint of the chain head (so the file can be verified
 * offline up to it), recorded by one `audit.exported` event, and returns a generator that streams the
 * filtered events oldest first in batches (flat memory), ending with the checkpoint.
 */
export async function startAuditExport(
  req: ExportRequest,
): Promise<{ filename: string; lines: AsyncGenerator<string> }> {
  // A destination filter is a phone number: the event and the file keep its last two digits
  // only (any other filter value that reads as a number is masked the same way).
  const params = Object.fromEntries(
    Object.entries(filtersToParams(req.filters)).map(([k, v]) => [
      k,
      k === "destination" || looksLikePhoneNumber(v) ? maskPhone(v) : v,
    ]),
  );
  const exported = (c: CheckpointFacts | null): AuditEvent => ({
    action: "audit.exported",
    outcome: "succeeded",
    ...(c ? { target: { type: "audit_checkpoint", id: c.id } } : {}),
    details: {
      format: req.format,
      filters: params,
      through_seq: c?.seq ?? 0,
      ...(c ? { head_hash: c.head_hash, key_id: c.key_id } : {}),
    },
  });
  // One export, one event: `audit.exported` is the checkpoint's own event (it names the
  // checkpoint and what it signed), written in the checkpoint's transaction. An empty chain
  // has nothing to sign, and its export is recorded alone.
  const checkpoint = await signCheckpoint(req, exported);
  if (!checkpoint) await getDb().transaction((tx) => recordAudit(tx, req, exported(null)));
  const stamp = new Date().toISOString().replaceAll(":", "").slice(0, 15);
  return {
    filename: `pqseal-audit-${req.tenantId}-${stamp}.${req.format}`,
    lines: exportLines(req, checkpoint, params),
  };
}

async function* exportLines(
  req: ExportRequest,
  checkpoint: SignedCheckpoint | null,
  params: Record<string, string>,
): AsyncGenerator<string> {
  const [head] = await getDb()
    .select()
    .from(auditChainHeads)
    .where(eq(auditChainHeads.tenantId, req.tenantId));
  const unsigned = {
    type: "header",
    format: "pqseal-audit-export",
    version: CHAIN_VERSION,
    tenant_id: req.tenantId,
    exported_at: new Date().toISOString(),
    filters: params,
    complete: Object.keys(params).length === 0,
    anchor: { seq: head?.anchorSeq ?? 0, hash: head?.anchorHash ?? GENESIS_HASH },
    // The range: events after the anchor through the checkpoint at the end of the file.
    through_seq: checkpoint?.seq ?? 0,
    checkpoint_id: checkpoint?.id ?? null,
  };
  // Signed with the key that signed the checkpoint (or the current key of an empty chain), so
  // nothing in the header can be edited without failing offline verification (CHAIN.md).
  const key = checkpoint
    ? await getSigningKeyOrThrow({ tenantId: req.tenantId, id: checkpoint.key_id })
    : await currentSigningKey(req.tenantId);
  const keyed = {
    ...unsigned,
    key_id: key.id,
    public_key: key.publicKey,
    fingerprint: key.fingerprint,
  };
  const signature = await signWith(key, exportHeaderMessage(keyed));
  const header = { ...keyed, signature: Buffer.from(signature).toString("base64") };
  if (req.format === "jsonl") yield JSON.stringify(header) + "\n";
  else yield CSV_COLUMNS.join(",") + "\n";

  const conditions = await filterConditions(req.tenantId, req.filters);
  const throughSeq = checkpoint?.seq ?? 0;
  if (conditions && throughSeq > 0) {
    const { sql: where, params: values } = new PgDialect().sqlToQuery(
      and(...conditions) ?? sql`true`,
    );
    const job = { where, params: values, format: req.format, batch: BATCH };
    const from = head?.anchorSeq ?? 0;
    yield* eventLines(job, from, throughSeq, req.parallel ?? {});
  }

  if (checkpoint) {
    const trailer = { type: "checkpoint", ...checkpoint };
    yield req.format === "jsonl"
      ? JSON.stringify(trailer) + "\n"
      : `# ${JSON.stringify(header)}\n# ${JSON.stringify(trailer)}\n`;
  } else if (req.format === "csv") {
    yield `# ${JSON.stringify(header)}\n`;
  }
}

type ExportJob = Omit<ExportWindow, "from" | "through">;

/**
 * The event lines of (from, through]. A large export on PostgreSQL is cut into windows of
 * seqs written by worker threads (each with its own connection and a capped heap) and
 * forwarded here in order; otherwise this process writes them.
 */
async function* eventLines(
  job: ExportJob,
  from: number,
  through: number,
  parallel: NonNullable<ExportRequest["parallel"]>,
): AsyncGenerator<string> {
  const databaseUrl = env().DATABASE_URL;
  // One core is left to this process and PostgreSQL; one worker at least, so the export's
  // memory is the worker's capped heap whatever the size of the export.
  const workers =
    getDbHandle().driver === "postgres" &&
    databaseUrl &&
    through - from >= (parallel.minSeqs ?? MIN_SEQS_FOR_WORKERS)
      ? (parallel.workers ?? Math.max(1, availableParallelism() - 1))
      : 0;
  if (workers > 0 && databaseUrl) {
    const windows: [number, number][] = [];
    const size = parallel.window ?? WINDOW;
    for (let at = from; at < through; at += size) windows.push([at, Math.min(through, at + size)]);
    const pool = new ExportWorkers(workers, { ...job, databaseUrl }, windows);
    let started = false;
    try {
      for await (const text of pool.chunks()) {
        started = true;
        yield text;
      }
      return;
    } catch (error) {
      // Workers that cannot start at all leave the export to this process; a failure halfway
      // through ends the file without its checkpoint, which verification reports.
      if (started) throw error;
      logger().warn({ err: error }, "audit export workers failed: exporting in process");
    } finally {
      pool.close();
    }
  }
  const query = getDbHandle().query;
  yield* exportWindow(query, { ...job, from, through });
}

type WorkerMessage =
  | { window: number; text: string }
  | { window: number; done: true }
  | { window: number; error: string };

/**
 * Export workers, each asked for one window at a time, round robin: while this process
 * forwards window w, the workers write windows w+1 .. w+count-1 (and w+count as soon as w is
 * through). A worker stops when its chunks are not taken (export-worker.mjs), so a slow
 * download holds at most a few chunks per worker.
 */
class ExportWorkers {
  private readonly workers: Worker[];
  private readonly inbox = new Map<number, WorkerMessage[]>();
  private wake: (() => void) | null = null;
  private failure: Error | null = null;

  constructor(
    count: number,
    job: ExportJob & { databaseUrl: string },
    private readonly windows: [number, number][],
  ) {
    this.workers = Array.from({ length: count }, () => {
      const worker = new Worker(new URL("./export-worker.mjs", import.meta.url), {
        workerData: job,
        resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
      });
      worker.on("message", (m: WorkerMessage) => {
        const box = this.inbox.get(m.window) ?? [];
        box.push(m);
        this.inbox.set(m.window, box);
        this.wake?.();
      });
      const fail = (error: Error) => {
        this.failure ??= error;
        this.wake?.();
      };
      worker.on("error", fail);
      worker.on("exit", (code) => fail(new Error(`audit export worker exited (${code})`)));
      return worker;
    });
  }

  /** Every window's chunks, in order. */
  async *chunks(): AsyncGenerator<string> {
    for (let w = 0; w < Math.min(this.workers.length, this.windows.length); w++) this.request(w);
    for (let w = 0; w < this.windows.length; w++) {
      for (;;) {
        const m = this.inbox.get(w)?.shift();
        if (!m) {
          if (this.failure) throw this.failure;
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        if ("error" in m) throw new Error(m.error);
        if ("done" in m) break;
        this.workers[w % this.workers.length]?.postMessage("ack");
        yield m.text;
      }
      this.inbox.delete(w);
      this.request(w + this.workers.length);
    }
  }

  private request(w: number) {
    const window = this.windows[w];
    if (window)
      this.workers[w % this.workers.length]?.postMessage({
        window: w,
        from: window[0],
        through: window[1],
      });
  }

  close() {
    for (const worker of this.workers) void worker.terminate();
  }
}
