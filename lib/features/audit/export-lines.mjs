// @ts-check
// The event lines of an export, for one window of seqs: shared by the in-process export and the
// export worker threads (lib/features/audit/export-worker.mjs). Plain JavaScript, like chain-lines.mjs.
import {
  CHAIN_ROW_COLUMNS,
  csvCell,
  EXPORT_FIELDS,
  csvEvent,
  jsonlEvent,
  lineFetcher,
  lineSeq,
  plainFields,
} from "../../platform/audit/chain-lines.mjs";

// Chunks stay under V8's large-object size (128 KB): short-lived strings, freed young.
const CHUNK_LINES = 100;
const BATCH_CHARS = 2_000_000;

/** CSV columns, in file order (CHAIN.md). */
export const CSV_COLUMNS = EXPORT_FIELDS;

/**
 * An event read column by column (the exact path), as its export line.
 * @param {Record<string, string | null>} row CHAIN_ROW_COLUMNS, details as its stored text
 * @param {"jsonl" | "csv"} format
 */
function exactLine(row, format) {
  if (format === "csv") return CSV_COLUMNS.map((c) => csvCell(row[c])).join(",") + "\n";
  const event = { type: "event", ...row, seq: Number(row.seq) };
  return (
    JSON.stringify({
      ...event,
      details: /** @type {unknown} */ (JSON.parse(row.details ?? "{}")),
    }) + "\n"
  );
}

/**
 * @typedef {import("../../platform/audit/chain-lines.mjs").ChainLineRow} ChainLineRow
 * @typedef {(text: string, params: unknown[]) => Promise<Record<string, unknown>[]>} Query
 * @typedef {{
 *   where: string,
 *   params: unknown[],
 *   format: "jsonl" | "csv",
 *   from: number,
 *   through: number,
 *   batch: number,
 * }} ExportWindow
 */

/**
 * The lines of the events matching `where` (SQL over audit_events, parameters $1..$n) with seq
 * in (from, through], oldest first, in chunks of up to `batch` events. The next batch is
 * fetched while this one is written.
 * @param {Query} query
 * @param {ExportWindow} w
 * @returns {AsyncGenerator<string>}
 */
export async function* exportWindow(query, w) {
  const n = w.params.length;
  const lines = lineFetcher(query, w.where, w.params, w.through);
  const exact = `select ${CHAIN_ROW_COLUMNS} from audit_events where ${w.where}
    and audit_events.seq = $${n + 1}`;
  // Batches hold about BATCH_CHARS of text whatever the size of the events (at most w.batch
  // rows): an export worker's heap is capped.
  let limit = w.batch;
  const fetchAfter = (/** @type {number} */ after) => lines(after, limit);
  /** @type {Promise<ChainLineRow[]> | null} */
  let pending = fetchAfter(w.from);
  while (pending) {
    const asked = limit;
    /** @type {ChainLineRow[]} */
    const rows = await pending;
    const last = rows.at(-1);
    if (last) {
      let chars = 0;
      for (const row of rows) chars += row.l.length;
      limit = Math.max(50, Math.min(w.batch, Math.floor((BATCH_CHARS * rows.length) / chars)));
    }
    pending = rows.length === asked && last ? fetchAfter(lineSeq(last.l)) : null;
    let chunk = "";
    let inChunk = 0;
    for (const row of rows) {
      if (inChunk === CHUNK_LINES) {
        yield chunk;
        chunk = "";
        inChunk = 0;
      }
      inChunk += 1;
      const f = plainFields(row.l, row.n);
      if (f) chunk += w.format === "jsonl" ? jsonlEvent(f, row.n) : csvEvent(f, row.n);
      else {
        // The rare event with characters that need escaping is read again column by column.
        const [full] = await query(exact, [...w.params, lineSeq(row.l)]);
        if (full) chunk += exactLine(/** @type {Record<string, string | null>} */ (full), w.format);
      }
    }
    if (chunk) yield chunk;
  }
}
