// @ts-check
// A worker thread that writes the event lines of an export, one window of seqs at a time, on
// its own connection (lib/features/audit/export-events.ts runs one per core for large exports). It
// sends chunks of text and stops when CREDITS of them (about a window) are not yet taken by
// the main thread (each taken chunk is acknowledged), so a slow download piles up nothing.
// The main thread terminates it when the export ends or the download is cancelled.
import { parentPort, workerData } from "node:worker_threads";
import postgres from "postgres";
import { exportWindow } from "./export-lines.mjs";

const CREDITS = 64;

/** @typedef {Omit<import("./export-lines.mjs").ExportWindow, "from" | "through">} ExportJob */
/** @type {unknown} Set by export-events.ts. */
const data = workerData;
const job = /** @type {ExportJob & { databaseUrl: string }} */ (data);
const sql = postgres(job.databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
/** @type {import("./export-lines.mjs").Query} */
const query = (text, params) =>
  /** @type {Promise<Record<string, unknown>[]>} */ (
    /** @type {unknown} */ (sql.unsafe(text, /** @type {never[]} */ (params)))
  );
const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);
let credits = CREDITS;
/** @type {(() => void) | null} */
let resume = null;

/** @param {{ window: number, from: number, through: number }} m */
async function write(m) {
  try {
    for await (const text of exportWindow(query, { ...job, from: m.from, through: m.through })) {
      while (credits === 0)
        await new Promise((/** @type {(v?: unknown) => void} */ r) => (resume = r));
      credits -= 1;
      port.postMessage({ window: m.window, text });
    }
    port.postMessage({ window: m.window, done: true });
  } catch (error) {
    port.postMessage({ window: m.window, error: String(error) });
  }
}

port.on("message", (/** @type {{ window: number, from: number, through: number } | "ack"} */ m) => {
  if (m === "ack") {
    credits += 1;
    resume?.();
  } else void write(m);
});
