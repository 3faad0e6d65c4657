import { createHash } from "node:crypto";
import { ml_dsa65 } from "@noble/post-quantum/ml-dsa.js";
import { parse } from "csv-parse/sync";
import { csvValue, EXPORT_FIELDS } from "@/lib/platform/audit/chain-lines.mjs";
import { firstDuplicateKey } from "./duplicate-keys";
import {
  checkpointMessage,
  eventHash,
  exportHeaderMessage,
  type ChainRecord,
} from "@/lib/platform/audit/chain";
import { checkTimestampImprint } from "@/lib/platform/audit/timestamp-token";

// Offline verification of an exported audit file (JSONL or CSV), with nothing but the file
// and, ideally, the tenant's pinned signing-key fingerprint. No database, no server code.

export interface ExportVerification {
  ok: boolean;
  events: number;
  complete: boolean;
  gaps: number;
  checkpoint: {
    seq: number;
    signatureValid: boolean;
    fingerprint: string;
    coversLastEvent: boolean;
    /** genTime of the checkpoint's RFC 3161 timestamp, when it has one whose imprint matches. */
    timestampedAt?: string;
  } | null;
  problems: string[];
}

interface Checkpoint {
  id: string;
  tenant_id: string;
  seq: number;
  head_hash: string;
  signed_at: string;
  public_key: string;
  fingerprint: string;
  signature: string;
  timestamp_token?: unknown;
}

type ExportedEvent = ChainRecord & { prev_hash: string; hash: string };

const NULLABLE = new Set([
  "actor_id",
  "actor_label",
  "target_type",
  "target_id",
  "integration_id",
  "ip",
  "user_agent",
  "request_id",
  "destination_hmac",
  "destination_last2",
]);

function parseFile(text: string): {
  header: Record<string, unknown> | null;
  events: ExportedEvent[];
  checkpoint: Checkpoint | null;
  shape: string[];
} {
  // A verifier is strict (CHAIN.md): no duplicate keys, and each event has exactly the export
  // fields, so what is hashed is all that the file says.
  const shape: string[] = [];
  const checkKeys = (json: string, n: number) => {
    const dup = firstDuplicateKey(json);
    if (dup !== null) shape.push(`line ${n}: the key "${dup.slice(0, 40)}" appears twice`);
  };
  const checkFields = (event: Record<string, unknown>, n: number) => {
    const keys = Object.keys(event);
    if (keys.length !== EXPORT_FIELDS.length || EXPORT_FIELDS.some((f) => !keys.includes(f)))
      shape.push(`line ${n}: an event must have exactly the ${EXPORT_FIELDS.length} export fields`);
  };
  const firstLine = text.slice(0, text.indexOf("\n"));
  let header: Record<string, unknown> | null = null;
  let checkpoint: Checkpoint | null = null;
  const events: ExportedEvent[] = [];
  // Exactly one header and at most one checkpoint: a second one must not replace the first.
  const record = (type: unknown, rest: Record<string, unknown>, n: number) => {
    if (type === "header") {
      if (header) shape.push(`line ${n}: a second header`);
      else header = rest;
    } else if (type === "checkpoint") {
      if (checkpoint) shape.push(`line ${n}: a second checkpoint`);
      else checkpoint = rest as unknown as Checkpoint;
    } else return false;
    return true;
  };
  if (firstLine.startsWith("{")) {
    for (const [i, line] of text.split("\n").entries()) {
      if (!line.trim()) continue;
      const obj = JSON.parse(line) as Record<string, unknown> & { type?: string };
      checkKeys(line, i + 1);
      const { type, ...rest } = obj;
      if (record(type, rest, i + 1)) continue;
      if (type === "event") {
        checkFields(rest, i + 1);
        events.push(rest as unknown as ExportedEvent);
      } else shape.push(`line ${i + 1}: unknown record type`);
    }
    return { header, events, checkpoint, shape };
  }
  const csvPart: string[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line.startsWith("# ")) {
      const obj = JSON.parse(line.slice(2)) as Record<string, unknown> & { type?: string };
      checkKeys(line.slice(2), i + 1);
      const { type, ...rest } = obj;
      if (!record(type, rest, i + 1)) shape.push(`line ${i + 1}: unknown record type`);
    } else csvPart.push(line);
  }
  if (csvPart[0] !== EXPORT_FIELDS.join(","))
    shape.push(`the CSV header row must be exactly: ${EXPORT_FIELDS.join(",")}`);
  const rows = parse<Record<string, string>>(csvPart.join("\n"), {
    columns: true,
    skip_empty_lines: true,
  });
  for (const row of rows) {
    const event: Record<string, unknown> = {};
    for (const [key, cell] of Object.entries(row)) {
      const value = csvValue(cell);
      if (key === "seq") event[key] = Number(value);
      else if (key === "details") {
        if (firstDuplicateKey(value || "{}") !== null) shape.push("a details cell repeats a key");
        event[key] = JSON.parse(value || "{}") as unknown;
      } else event[key] = NULLABLE.has(key) && value === "" ? null : value;
    }
    events.push(event as unknown as ExportedEvent);
  }
  return { header, events, checkpoint, shape };
}

/** `ML-DSA-65.verify`, false instead of throwing on malformed input. */
function signatureValid(signatureB64: string, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return ml_dsa65.verify(Buffer.from(signatureB64, "base64"), message, publicKey);
  } catch {
    return false;
  }
}

const fingerprintOf = (publicKey: Uint8Array) =>
  createHash("sha256").update(publicKey).digest("hex");

/**
 * The header's own checks: signed (ML-DSA-65 over exportHeaderMessage) by the key it names,
 * which is the checkpoint's key, for the checkpoint's tenant and seq. An edited `complete`,
 * `filters`, `anchor` or range fails here.
 */
function checkHeader(
  header: Record<string, unknown> | null,
  checkpoint: Checkpoint | null,
  problems: string[],
): void {
  if (!header) {
    problems.push("the file has no header");
    return;
  }
  const publicKey = Buffer.from(
    typeof header.public_key === "string" ? header.public_key : "",
    "base64",
  );
  if (
    typeof header.signature !== "string" ||
    !signatureValid(header.signature, exportHeaderMessage(header), publicKey)
  ) {
    problems.push("the header signature is not valid (the header was changed, or is unsigned)");
  }
  if (header.fingerprint !== fingerprintOf(publicKey))
    problems.push("the header fingerprint does not match its public key");
  if (!checkpoint) {
    // The header says whether a checkpoint ends the file: removing it (and events) is seen.
    if (header.through_seq !== 0 || header.checkpoint_id !== null)
      problems.push("the checkpoint the header names is missing from the file");
    return;
  }
  if (header.checkpoint_id !== checkpoint.id)
    problems.push("the checkpoint is not the one the header names");
  if (header.tenant_id !== checkpoint.tenant_id)
    problems.push("the header and the checkpoint name different tenants");
  if (header.through_seq !== checkpoint.seq)
    problems.push("the header's range does not end at the checkpoint");
  if (header.public_key !== checkpoint.public_key)
    problems.push("the header and the checkpoint are signed by different keys");
}

export interface VerifyExportOptions {
  /** A filtered (incomplete) export is a failure, not just reported. */
  strict?: boolean;
}

export function verifyExport(
  text: string,
  expectedFingerprint?: string,
  options: VerifyExportOptions = {},
): ExportVerification {
  const { header, events, checkpoint, shape } = parseFile(text);
  const problems: string[] = [...shape];
  checkHeader(header, checkpoint, problems);
  // With no checkpoint (an empty chain) the header's key is the one to pin.
  if (
    !checkpoint &&
    expectedFingerprint &&
    header?.fingerprint !== expectedFingerprint.toLowerCase()
  )
    problems.push(`the header's signing key is not the pinned ${expectedFingerprint}`);
  const complete = header?.complete === true;
  if (options.strict && !complete)
    problems.push("the export is filtered (incomplete): --strict needs a complete export");
  let gaps = 0;
  let previous: ExportedEvent | null = null;
  const anchor = header?.anchor as { seq: number; hash: string } | undefined;
  const throughSeq = typeof header?.through_seq === "number" ? header.through_seq : 0;
  const anchorSeq = anchor?.seq ?? 0;
  // A complete export holds every event from the anchor to the checkpoint: none may be missing
  // (the links and the checks below find a hole; an empty list is a hole too).
  if (complete && throughSeq > anchorSeq && events.length === 0)
    problems.push(`a complete export through seq ${throughSeq} holds no events`);

  for (const event of events) {
    const { prev_hash, hash, ...record } = event;
    // Every event is the header's tenant's, inside the signed range.
    if (event.tenant_id !== header?.tenant_id || event.seq <= anchorSeq || event.seq > throughSeq) {
      problems.push(`event seq ${event.seq}: outside the export's signed tenant and range`);
      break;
    }
    if (eventHash(prev_hash, record) !== hash) {
      problems.push(`event seq ${event.seq} (${event.id}): content does not match its hash`);
      break;
    }
    if (previous) {
      if (event.seq === previous.seq + 1) {
        if (prev_hash !== previous.hash) {
          problems.push(`event seq ${event.seq}: prev_hash does not link to event ${previous.seq}`);
          break;
        }
      } else gaps += 1;
    } else if (complete && anchor && (event.seq !== anchor.seq + 1 || prev_hash !== anchor.hash)) {
      problems.push(
        `event seq ${event.seq}: does not start at the chain anchor (seq ${anchor.seq + 1})`,
      );
      break;
    }
    previous = event;
  }
  if (complete && gaps > 0) problems.push(`a complete export has ${gaps} gap(s)`);

  let checkpointResult: ExportVerification["checkpoint"] = null;
  if (!checkpoint) {
    if (events.length > 0) problems.push("no signed checkpoint in the file");
  } else {
    const publicKey = Buffer.from(checkpoint.public_key, "base64");
    const fingerprint = fingerprintOf(publicKey);
    const valid = signatureValid(checkpoint.signature, checkpointMessage(checkpoint), publicKey);
    if (!valid) problems.push("checkpoint signature is not valid");
    if (fingerprint !== checkpoint.fingerprint)
      problems.push("checkpoint fingerprint does not match its public key");
    if (expectedFingerprint && fingerprint !== expectedFingerprint.toLowerCase()) {
      problems.push(
        `signing key fingerprint ${fingerprint} is not the pinned ${expectedFingerprint}`,
      );
    }
    const atHead = events.find((e) => e.seq === checkpoint.seq);
    if (atHead && atHead.hash !== checkpoint.head_hash)
      problems.push(`event ${checkpoint.seq} does not match the signed head`);
    const coversLastEvent =
      previous?.seq === checkpoint.seq && previous.hash === checkpoint.head_hash;
    if (complete && events.length > 0 && !coversLastEvent)
      problems.push("the signed checkpoint does not cover the last event");
    checkpointResult = { seq: checkpoint.seq, signatureValid: valid, fingerprint, coversLastEvent };
    // The TSA's own signature needs its certificate (`openssl ts -verify`, CHAIN.md); offline
    // the token must at least be over this checkpoint's message.
    if (checkpoint.timestamp_token !== undefined) {
      const stamp =
        typeof checkpoint.timestamp_token === "string"
          ? checkTimestampImprint(checkpoint.timestamp_token, checkpointMessage(checkpoint))
          : { ok: false as const, problem: "the timestamp token is not a string" };
      if (stamp.ok) checkpointResult.timestampedAt = stamp.genTime;
      else problems.push(`checkpoint timestamp: ${stamp.problem}`);
    }
  }
  return {
    ok: problems.length === 0,
    events: events.length,
    complete,
    gaps,
    checkpoint: checkpointResult,
    problems,
  };
}
