// @ts-check
// The fast way to read audit events in bulk, shared by chain verification (in this process or
// in worker threads, lib/features/audit/verify-worker.mjs) and export. Plain JavaScript because worker
// threads load it without a TypeScript loader.
//
// PostgreSQL joins each event's fields into ONE text column, separated by U+001F, plus an
// integer with one bit per NULL field. Decoding one column instead of twenty is what makes
// it fast (the driver's per-column cost dominated). A line is taken on the fast path only when
// none of its plain fields holds a character that JSON would escape (`"`, `\`, U+0000-U+001F;
// so no field holds the separator either) and no NOT NULL field is NULL. Then the JCS text of
// the record is the fields put between quotes as they are, and `details` is used as stored
// (its JCS text, docs/CHAIN.md). Every other line (and every hash that does not match on
// the fast path) goes to the exact path: the row read column by column and encoded by
// lib/platform/audit/chain.ts, which is the reference.
//
// Why the fast path cannot accept a forgery: if its message equals the hash input of some
// genuine record, the plain fields contain no quote, backslash or control character, so they
// sit at the same offsets with the same text as the genuine ones; `details` is a valid JSON
// value (the json type checks it) starting at the same offset, so it has the same extent and
// text; and the rest follows. Equal hash inputs therefore mean equal records.

const SEP = "\u001f";

/**
 * @typedef {keyof import("./chain").ChainRecord | "prev_hash" | "hash"} ExportField
 * @typedef {{ l: string, n: number }} ChainLineRow One event as a line (`l`) and its NULL bits (`n`).
 */

/** The exported fields of an event, in export order (JSONL keys, CSV columns; CHAIN.md). */
export const EXPORT_FIELDS = /** @type {readonly ExportField[]} */ ([
  "id",
  "tenant_id",
  "seq",
  "occurred_at",
  "actor_type",
  "actor_id",
  "actor_label",
  "action",
  "target_type",
  "target_id",
  "integration_id",
  "outcome",
  "ip",
  "user_agent",
  "request_id",
  "destination_hmac",
  "destination_last2",
  "details",
  "prev_hash",
  "hash",
]);

/** Line fields, in order: seq first (digits only, so it can always be read), `details` last. */
export const LINE_FIELDS = /** @type {readonly ExportField[]} */ ([
  "seq",
  "prev_hash",
  "hash",
  "action",
  "actor_id",
  "actor_label",
  "actor_type",
  "destination_hmac",
  "destination_last2",
  "id",
  "integration_id",
  "ip",
  "occurred_at",
  "outcome",
  "request_id",
  "target_id",
  "target_type",
  "tenant_id",
  "user_agent",
  "details",
]);

/** @type {ExportField[]} */
const NULLABLE = [
  "actor_id",
  "actor_label",
  "destination_hmac",
  "destination_last2",
  "integration_id",
  "ip",
  "request_id",
  "target_id",
  "target_type",
  "user_agent",
];
/** @type {ExportField[]} */
const NOT_NULL = ["prev_hash", "hash", "action", "actor_type", "id", "occurred_at", "outcome"];
/** @type {ExportField[]} */
const NOT_NULL_MORE = ["tenant_id", "details"];
/** The fields of the NULL bit mask `n`, bit 0 first. */
export const NULL_BITS = /** @type {readonly ExportField[]} */ ([
  ...NULLABLE,
  ...NOT_NULL,
  ...NOT_NULL_MORE,
]);
const bit = (/** @type {ExportField} */ name) => {
  const i = NULL_BITS.indexOf(name);
  if (i < 0) throw new Error(`chain-lines: unknown field ${name}`);
  return 2 ** i;
};
const NOT_NULL_MASK = [...NOT_NULL, ...NOT_NULL_MORE].reduce((m, f) => m + bit(f), 0);

const ISO_MS = `to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const expr = (/** @type {ExportField} */ f) =>
  f === "occurred_at" ? ISO_MS : f === "details" ? "details::text" : f;

/** The select list of the exact path: the 20 export fields, one column each. */
export const CHAIN_ROW_COLUMNS = `id, tenant_id, seq::text as seq, ${ISO_MS} as occurred_at,
  actor_type, actor_id, actor_label, action, target_type, target_id, integration_id, outcome,
  ip, user_agent, request_id, destination_hmac, destination_last2, details::text as details,
  prev_hash, hash`;

/** The select list: `l` (the joined line) and `n` (the NULL bits). */
const CHAIN_LINE_COLUMNS =
  `concat(${LINE_FIELDS.map(expr).join(", E'\\x1f', ")}) as l, ` +
  NULL_BITS.map((f) => `(audit_events.${f} is null)::int * ${bit(f)}`).join(" + ") +
  " as n";

/**
 * The one query for lines: `(after, limit)` fetches up to `limit` events matching `where`
 * (SQL over audit_events with parameters $1..$n = `params`) with seq in (after, through],
 * oldest first. `query` runs raw SQL (the app's DbHandle.query, or a worker's connection).
 * @param {(text: string, params: unknown[]) => Promise<Record<string, unknown>[]>} query
 * @param {string} where
 * @param {unknown[]} params
 * @param {number} through
 * @returns {(after: number, limit: number) => Promise<ChainLineRow[]>}
 */
export function lineFetcher(query, where, params, through) {
  const n = params.length;
  const text = `select ${CHAIN_LINE_COLUMNS} from audit_events where ${where}
    and audit_events.seq > $${n + 1} and audit_events.seq <= $${n + 2}
    order by audit_events.seq limit $${n + 3}`;
  return (after, limit) =>
    /** @type {Promise<ChainLineRow[]>} */ (query(text, [...params, after, through, limit]));
}

/** The tenant condition of a chain read, for lineFetcher. */
export const TENANT_WHERE = "audit_events.tenant_id = $1";

/** seq and 18 plain fields, each free of `"`, `\` and control characters, then details. */
const PLAIN = /^\d+\u001f(?:[^"\\\u0000-\u001f]*\u001f){18}\{/;

/** The seq of a line: always readable (digits, then the first separator). */
export function lineSeq(/** @type {string} */ line) {
  return Number(line.slice(0, line.indexOf(SEP)));
}

/**
 * The fields of a line that can take the fast path, or null when it needs the exact path.
 * @param {string} line
 * @param {number} nulls
 * @returns {string[] | null}
 */
export function plainFields(line, nulls) {
  if ((nulls & NOT_NULL_MASK) !== 0 || !PLAIN.test(line)) return null;
  const f = line.split(SEP);
  return f.length === LINE_FIELDS.length ? f : null;
}

const N_ACTOR_ID = bit("actor_id");
const N_ACTOR_LABEL = bit("actor_label");
const N_DEST_HMAC = bit("destination_hmac");
const N_DEST_LAST2 = bit("destination_last2");
const N_INTEGRATION = bit("integration_id");
const N_IP = bit("ip");
const N_REQUEST = bit("request_id");
const N_TARGET_ID = bit("target_id");
const N_TARGET_TYPE = bit("target_type");
const N_USER_AGENT = bit("user_agent");

/**
 * The bytes the chain hashes (CHAIN.md), from fast-path fields.
 * @param {string[]} f
 * @param {number} n
 */
export function hashInput(f, n) {
  const q = (/** @type {number} */ i, /** @type {number} */ b) => (n & b ? "null" : `"${f[i]}"`);
  return (
    `pqseal-audit-v1\n${f[1]}\n{"action":"${f[3]}","actor_id":${q(4, N_ACTOR_ID)},` +
    `"actor_label":${q(5, N_ACTOR_LABEL)},"actor_type":"${f[6]}",` +
    `"destination_hmac":${q(7, N_DEST_HMAC)},"destination_last2":${q(8, N_DEST_LAST2)},` +
    `"details":${f[19]},"id":"${f[9]}","integration_id":${q(10, N_INTEGRATION)},` +
    `"ip":${q(11, N_IP)},"occurred_at":"${f[12]}","outcome":"${f[13]}",` +
    `"request_id":${q(14, N_REQUEST)},"seq":${f[0]},"target_id":${q(15, N_TARGET_ID)},` +
    `"target_type":${q(16, N_TARGET_TYPE)},"tenant_id":"${f[17]}","user_agent":${q(18, N_USER_AGENT)}}`
  );
}

/**
 * The JSONL export line of an event (same keys and order as the exact path's JSON.stringify).
 * @param {string[]} f
 * @param {number} n
 */
export function jsonlEvent(f, n) {
  const q = (/** @type {number} */ i, /** @type {number} */ b) => (n & b ? "null" : `"${f[i]}"`);
  return (
    `{"type":"event","id":"${f[9]}","tenant_id":"${f[17]}","seq":${f[0]},` +
    `"occurred_at":"${f[12]}","actor_type":"${f[6]}","actor_id":${q(4, N_ACTOR_ID)},` +
    `"actor_label":${q(5, N_ACTOR_LABEL)},"action":"${f[3]}","target_type":${q(16, N_TARGET_TYPE)},` +
    `"target_id":${q(15, N_TARGET_ID)},"integration_id":${q(10, N_INTEGRATION)},` +
    `"outcome":"${f[13]}","ip":${q(11, N_IP)},"user_agent":${q(18, N_USER_AGENT)},` +
    `"request_id":${q(14, N_REQUEST)},"destination_hmac":${q(7, N_DEST_HMAC)},` +
    `"destination_last2":${q(8, N_DEST_LAST2)},"details":${f[19]},"prev_hash":"${f[1]}",` +
    `"hash":"${f[2]}"}\n`
  );
}

// A cell a spreadsheet would run as a formula (OWASP "CSV injection": = + - @ tab CR), or one
// that starts with the escape itself, gets a leading "'"; verifiers remove exactly one leading
// "'" from every non-empty cell (CHAIN.md, CSV).
const FORMULA_START = /^[=+\-@\t\r']/;

/** One RFC 4180 cell: empty for null; formula-escaped; quoted when it holds `"`, `,`, CR, LF or starts with `#`. */
export function csvCell(/** @type {unknown} */ value) {
  if (value === null || value === undefined) return "";
  const raw = typeof value === "string" ? value : JSON.stringify(value);
  const text = FORMULA_START.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) || text.startsWith("#") ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The value of a CSV cell as exported by csvCell (its formula escape removed). */
export function csvValue(/** @type {string} */ cell) {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

/**
 * The CSV export row of an event, columns as CSV_COLUMNS (CHAIN_FIELDS, prev_hash, hash).
 * @param {string[]} f
 * @param {number} n
 */
export function csvEvent(f, n) {
  const c = (/** @type {number} */ i, /** @type {number} */ b) => (n & b ? "" : csvCell(f[i]));
  return (
    [
      c(9, 0),
      c(17, 0),
      f[0],
      c(12, 0),
      c(6, 0),
      c(4, N_ACTOR_ID),
      c(5, N_ACTOR_LABEL),
      c(3, 0),
      c(16, N_TARGET_TYPE),
      c(15, N_TARGET_ID),
      c(10, N_INTEGRATION),
      c(13, 0),
      c(11, N_IP),
      c(18, N_USER_AGENT),
      c(14, N_REQUEST),
      c(7, N_DEST_HMAC),
      c(8, N_DEST_LAST2),
      csvCell(f[19]),
      c(1, 0),
      c(2, 0),
    ].join(",") + "\n"
  );
}

/**
 * @typedef {{ seq: number, reason: string }} Broken
 * @typedef {{
 *   from: number,
 *   through: number,
 *   nextSeq: number,
 *   prevHash: string | null,
 *   firstPrevHash: string | null,
 *   lastHash: string | null,
 *   suspects: number[],
 *   broken: Broken | null,
 * }} Segment
 */

/**
 * A segment of the chain to check: the events with seq in (from, through].
 * @param {number} from
 * @param {number} through
 * @returns {Segment}
 */
export function newSegment(from, through) {
  return {
    from,
    through,
    nextSeq: from + 1,
    prevHash: null,
    firstPrevHash: null,
    lastHash: null,
    suspects: [],
    broken: null,
  };
}

/**
 * Checks the next rows of a segment, in seq order: no seq missing, each prev_hash the previous
 * event's hash, each hash matching the event. Links into and out of a line the fast path cannot
 * read, and every fast-path hash mismatch, are left to the exact path as `suspects`. Stops at the
 * first definite break (`broken`). `hash(text)` is SHA-256 as lowercase hex.
 * @param {Segment} s
 * @param {ChainLineRow[]} rows
 * @param {(text: string) => string} hash
 * @returns {boolean} false once the segment is broken
 */
export function checkLines(s, rows, hash) {
  for (const row of rows) {
    const seq = lineSeq(row.l);
    if (seq !== s.nextSeq) {
      s.broken = { seq: s.nextSeq, reason: `event ${s.nextSeq} is missing` };
      return false;
    }
    const f = plainFields(row.l, row.n);
    if (!f) {
      s.suspects.push(seq);
      s.prevHash = null;
      s.lastHash = null;
    } else {
      const prev = /** @type {string} */ (f[1]);
      if (seq === s.from + 1) s.firstPrevHash = prev;
      else if (s.prevHash !== null && prev !== s.prevHash) {
        s.broken = { seq, reason: "prev_hash does not match the previous event's hash" };
        return false;
      }
      if (hash(hashInput(f, row.n)) !== f[2]) s.suspects.push(seq);
      s.prevHash = s.lastHash = /** @type {string} */ (f[2]);
    }
    s.nextSeq += 1;
  }
  return true;
}

/**
 * Called when the segment's rows are exhausted: an event missing at the end is a break.
 * @param {Segment} s
 */
export function finishSegment(s) {
  if (!s.broken && s.nextSeq <= s.through)
    s.broken = { seq: s.nextSeq, reason: `event ${s.nextSeq} is missing` };
}

/** Rows handled between two turns of the event loop (see `breathe`). */
const SLICE = 1_000;

/**
 * Lets the event loop turn: the driver reads the next batch off the socket meanwhile, so
 * PostgreSQL keeps producing rows while these are hashed (otherwise it stalls once the socket
 * buffer is full), and a server stays responsive.
 * @type {() => Promise<void>}
 */
const breathe = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Checks a whole segment, fetching `batch` lines at a time (the next batch is fetched while
 * this one is hashed). `fetchAfter(seq)` returns the segment's lines with seq > `seq`.
 * @param {Segment} segment
 * @param {(after: number) => Promise<ChainLineRow[]>} fetchAfter
 * @param {(text: string) => string} hash
 * @param {number} batch
 * @returns {Promise<Segment>}
 */
export async function runSegment(segment, fetchAfter, hash, batch) {
  let next = fetchAfter(segment.from);
  for (;;) {
    const rows = await next;
    const last = rows.at(-1);
    const more = rows.length === batch && last !== undefined;
    if (more) next = fetchAfter(lineSeq(last.l));
    let ok = true;
    for (let i = 0; ok && i < rows.length; i += SLICE) {
      ok = checkLines(segment, rows.slice(i, i + SLICE), hash);
      await breathe();
    }
    if (!ok) {
      // Stopping early leaves a prefetched batch in flight; its outcome no longer matters.
      if (more) await next.catch(() => undefined);
      return segment;
    }
    if (!more) {
      finishSegment(segment);
      return segment;
    }
  }
}
