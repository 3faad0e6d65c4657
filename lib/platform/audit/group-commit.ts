import "server-only";
import { getDb, type Tx } from "@/db";
import type { Acting } from "@/lib/platform/request-context/acting";
import { recordAuditBatch, type AuditEvent, type AuditInput } from "./record-audit";
import type { Context, Link } from "@opentelemetry/api";
import { newId } from "@/lib/shared/ids";
import { activeContext, inSpan, linkTo } from "@/lib/platform/observability/tracing";

// Group commit for hot paths (the proxy, the webhook intake): concurrent appends to one tenant's chain are queued
// and written together, in one transaction under one head lock, instead of each request
// holding the lock for its own transaction. Each caller still gets its event id only after the
// commit; an item that fails is refused alone (the others are committed again without it). `alsoInTx` runs in the
// same transaction (e.g. storing an idempotent result next to its audit event).

/**
 * A row an item adds to another table in the batch's transaction, written with the other items'
 * rows for the same `write` in one statement (a proxied message's delivery state, for one).
 */
export type BatchedRow<T> = { write: (tx: Tx, rows: T[]) => Promise<void>; row: T };

type Item = {
  input: AuditInput;
  alsoInTx?: ((tx: Tx, auditEventId: string) => Promise<void>) | undefined;
  batched?: BatchedRow<unknown> | undefined;
  onlyIf?: ((tx: Tx, auditEventId: string) => Promise<boolean>) | undefined;
  resolve: (id: string | null) => void;
  reject: (error: unknown) => void;
  /** The caller's trace context: the batch's span is a child of the first, linked to all. */
  trace: Context;
};

const MAX_BATCH = 200;
const globalForQueue = globalThis as unknown as { pqsealAuditQueues?: Map<string, Item[]> };
const queues = (globalForQueue.pqsealAuditQueues ??= new Map<string, Item[]>());
const flushing = new Set<string>();

export function appendAudit<T>(
  by: Acting,
  event: AuditEvent,
  alsoInTx?: (tx: Tx, auditEventId: string) => Promise<void>,
  batched?: BatchedRow<T>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    enqueue({
      input: { by, event },
      alsoInTx,
      batched: batched as BatchedRow<unknown> | undefined,
      resolve: (id) => resolve(id ?? ""),
      reject,
      trace: activeContext(),
    });
  });
}

/**
 * Like appendAudit, but `onlyIf` runs first in the batch's transaction (e.g. an insert that
 * may turn out to be a duplicate), given the id the event will have: when it answers false, no
 * event is written, `alsoInTx` is skipped and the promise resolves to null. Everything stays in
 * the one transaction.
 */
export function appendAuditIf(
  onlyIf: (tx: Tx, auditEventId: string) => Promise<boolean>,
  by: Acting,
  event: AuditEvent,
  alsoInTx?: (tx: Tx, auditEventId: string) => Promise<void>,
): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const input = { by, event, id: newId("audit") };
    enqueue({ input, alsoInTx, onlyIf, resolve, reject, trace: activeContext() });
  });
}

function enqueue(item: Item) {
  const tenantId = item.input.by.tenantId;
  const queue = queues.get(tenantId) ?? [];
  queue.push(item);
  queues.set(tenantId, queue);
  if (!flushing.has(tenantId)) void flush(tenantId);
}

async function flush(tenantId: string) {
  flushing.add(tenantId);
  try {
    for (;;) {
      const queue = queues.get(tenantId) ?? [];
      if (queue.length === 0) break;
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const ids = await commit(tenantId, batch);
        for (const item of batch) item.resolve(ids.get(item) ?? null);
      } catch (error) {
        if (batch.length === 1 || isConnectionError(error)) {
          // Lost the database: retrying item by item would only wait again for each.
          for (const item of batch) item.reject(error);
          continue;
        }
        // One bad item must not fail the others (fail closed per item, not per batch):
        // each is committed again on its own, and only the failing ones are refused.
        for (const item of batch) {
          try {
            item.resolve((await commit(tenantId, [item])).get(item) ?? null);
          } catch (itemError) {
            item.reject(itemError);
          }
        }
      }
    }
  } finally {
    flushing.delete(tenantId);
    queues.delete(tenantId);
  }
}

/** A lost or refused connection (SQLSTATE class 08, or a socket error), not a bad item. */
function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (
      typeof code === "string" &&
      (/^08/.test(code) ||
        /^E(CONN|PIPE|TIMEDOUT|HOSTUNREACH)/.test(code) ||
        code.startsWith("CONNECT"))
    )
      return true;
  }
  return false;
}

/**
 * Writes the items' events (and their side writes) in one transaction under one head lock, in a
 * `pqseal.db.audit_commit` span: the child of the first item's request, linked to every item's.
 */
function commit(tenantId: string, batch: Item[]): Promise<Map<Item, string>> {
  const links = batch.map((item) => linkTo(item.trace)).filter((l): l is Link => l !== null);
  return inSpan(
    "pqseal.db.audit_commit",
    { "db.system.name": "postgresql", "pqseal.audit.batch_size": batch.length },
    () => transaction(tenantId, batch),
    { ...(batch[0] ? { parent: batch[0].trace } : {}), links },
  );
}

function transaction(tenantId: string, batch: Item[]): Promise<Map<Item, string>> {
  return getDb().transaction(async (tx) => {
    const kept: Item[] = [];
    for (const item of batch) {
      if (!item.onlyIf || (await item.onlyIf(tx, item.input.id ?? ""))) kept.push(item);
    }
    const written = await recordAuditBatch(
      tx,
      tenantId,
      kept.map((b) => b.input),
    );
    const idOf = new Map<Item, string>();
    const rowsOf = new Map<BatchedRow<unknown>["write"], unknown[]>();
    for (const [i, item] of kept.entries()) {
      const id = written[i] ?? "";
      idOf.set(item, id);
      if (item.alsoInTx) await item.alsoInTx(tx, id);
      if (item.batched) {
        const rows = rowsOf.get(item.batched.write) ?? [];
        rows.push(item.batched.row);
        rowsOf.set(item.batched.write, rows);
      }
    }
    for (const [write, rows] of rowsOf) await write(tx, rows);
    return idOf;
  });
}
