// @ts-check
// A worker thread that checks one segment of a tenant's chain on its own connection
// (lib/audit/verify-chain.ts starts one per core for long chains). Plain JavaScript: worker
// threads load it without a TypeScript loader, in Next.js and under tsx alike.
import { hash } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import postgres from "postgres";
import { CHAIN_LINE_COLUMNS, newSegment, runSegment } from "./chain-lines.mjs";

/** @type {{ databaseUrl: string, tenantId: string, from: number, through: number, batch: number }} */
const job = workerData;
const sql = postgres(job.databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
const query = `select ${CHAIN_LINE_COLUMNS} from audit_events
  where tenant_id = $1 and seq > $2 and seq <= $3 order by seq limit $4`;

try {
  const segment = await runSegment(
    newSegment(job.from, job.through),
    (after) =>
      /** @type {Promise<{ l: string, n: number }[]>} */ (
        /** @type {unknown} */ (sql.unsafe(query, [job.tenantId, after, job.through, job.batch]))
      ),
    (text) => hash("sha256", text, "hex"),
    job.batch,
  );
  parentPort?.postMessage({ ok: true, segment });
} catch (error) {
  parentPort?.postMessage({ ok: false, error: String(error) });
} finally {
  await sql.end({ timeout: 5 });
}
