// @ts-check
// A worker thread that checks one segment of a tenant's chain on its own connection
// (lib/features/audit/verify-chain.ts starts one per core for long chains). Plain JavaScript: worker
// threads load it without a TypeScript loader, in Next.js and under tsx alike.
import { hash } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import postgres from "postgres";
import {
  lineFetcher,
  newSegment,
  runSegment,
  TENANT_WHERE,
} from "../../platform/audit/chain-lines.mjs";

/** @type {unknown} Set by verify-chain.ts. */
const data = workerData;
const job =
  /** @type {{ databaseUrl: string, tenantId: string, from: number, through: number, batch: number }} */ (
    data
  );
const sql = postgres(job.databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
/** @type {(text: string, params: unknown[]) => Promise<Record<string, unknown>[]>} */
const query = (text, params) =>
  /** @type {Promise<Record<string, unknown>[]>} */ (
    /** @type {unknown} */ (sql.unsafe(text, /** @type {never[]} */ (params)))
  );
const lines = lineFetcher(query, TENANT_WHERE, [job.tenantId], job.through);

try {
  const segment = await runSegment(
    newSegment(job.from, job.through),
    (after) => lines(after, job.batch),
    (text) => hash("sha256", text, "hex"),
    job.batch,
  );
  parentPort?.postMessage({ ok: true, segment });
} catch (error) {
  parentPort?.postMessage({ ok: false, error: String(error) });
} finally {
  await sql.end({ timeout: 5 });
}
