import "server-only";
import { getDb, type Tx } from "@/db";
import { recordAuditBatch, type AuditInput } from "./record-audit";

// Group commit for hot paths (the proxy): concurrent appends to one tenant's chain are queued
// and written together, in one transaction under one head lock, instead of each request
// holding the lock for its own transaction. Each caller still gets its event id only after the
// commit, and an error fails every caller of that batch (fail closed). `alsoInTx` runs in the
// same transaction (e.g. storing an idempotent result next to its audit event).

type Item = {
  input: AuditInput;
  alsoInTx?: ((tx: Tx, auditEventId: string) => Promise<void>) | undefined;
  resolve: (id: string) => void;
  reject: (error: unknown) => void;
};

const MAX_BATCH = 200;
const globalForQueue = globalThis as unknown as { pqsealAuditQueues?: Map<string, Item[]> };
const queues = (globalForQueue.pqsealAuditQueues ??= new Map<string, Item[]>());
const flushing = new Set<string>();

export function appendAudit(
  input: AuditInput,
  alsoInTx?: (tx: Tx, auditEventId: string) => Promise<void>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const queue = queues.get(input.tenantId) ?? [];
    queue.push({ input, alsoInTx, resolve, reject });
    queues.set(input.tenantId, queue);
    if (!flushing.has(input.tenantId)) void flush(input.tenantId);
  });
}

async function flush(tenantId: string) {
  flushing.add(tenantId);
  try {
    for (;;) {
      const queue = queues.get(tenantId) ?? [];
      if (queue.length === 0) break;
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const ids = await getDb().transaction(async (tx) => {
          const written = await recordAuditBatch(
            tx,
            tenantId,
            batch.map((b) => b.input),
          );
          for (const [i, item] of batch.entries()) {
            if (item.alsoInTx) await item.alsoInTx(tx, written[i] ?? "");
          }
          return written;
        });
        batch.forEach((item, i) => item.resolve(ids[i] ?? ""));
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
  } finally {
    flushing.delete(tenantId);
    queues.delete(tenantId);
  }
}
