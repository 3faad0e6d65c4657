import { createHash } from "node:crypto";
import { ml_dsa65 } from "@noble/post-quantum/ml-dsa.js";
import { parse } from "csv-parse/sync";
import { csvValue } from "@/lib/platform/audit/chain-lines.mjs";
import { checkpointMessage, eventHash, type ChainRecord } from "@/lib/platform/audit/chain";

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
  } | null;
  problems: string[];
}

interface Checkpoint {
  tenant_id: string;
  seq: number;
  head_hash: string;
  signed_at: string;
  public_key: string;
  fingerprint: string;
  signature: string;
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
} {
  const firstLine = text.slice(0, text.indexOf("\n"));
  let header: Record<string, unknown> | null = null;
  let checkpoint: Checkpoint | null = null;
  const events: ExportedEvent[] = [];
  if (firstLine.startsWith("{")) {
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      const obj = JSON.parse(line) as Record<string, unknown> & { type?: string };
      const { type, ...rest } = obj;
      if (type === "header") header = rest;
      else if (type === "checkpoint") checkpoint = rest as unknown as Checkpoint;
      else if (type === "event") events.push(rest as unknown as ExportedEvent);
    }
    return { header, events, checkpoint };
  }
  const csvPart: string[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("# ")) {
      const obj = JSON.parse(line.slice(2)) as Record<string, unknown> & { type?: string };
      const { type, ...rest } = obj;
      if (type === "header") header = rest;
      if (type === "checkpoint") checkpoint = rest as unknown as Checkpoint;
    } else csvPart.push(line);
  }
  const rows = parse<Record<string, string>>(csvPart.join("\n"), {
    columns: true,
    skip_empty_lines: true,
  });
  for (const row of rows) {
    const event: Record<string, unknown> = {};
    for (const [key, cell] of Object.entries(row)) {
      const value = csvValue(cell);
      if (key === "seq") event[key] = Number(value);
      else if (key === "details") event[key] = JSON.parse(value || "{}") as unknown;
      else event[key] = NULLABLE.has(key) && value === "" ? null : value;
    }
    events.push(event as unknown as ExportedEvent);
  }
  return { header, events, checkpoint };
}

export function verifyExport(text: string, expectedFingerprint?: string): ExportVerification {
  const { header, events, checkpoint } = parseFile(text);
  const problems: string[] = [];
  const complete = header?.complete === true;
  let gaps = 0;
  let previous: ExportedEvent | null = null;
  const anchor = header?.anchor as { seq: number; hash: string } | undefined;

  for (const event of events) {
    const { prev_hash, hash, ...record } = event;
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
    const fingerprint = createHash("sha256").update(publicKey).digest("hex");
    let signatureValid = false;
    try {
      signatureValid = ml_dsa65.verify(
        Buffer.from(checkpoint.signature, "base64"),
        checkpointMessage(checkpoint),
        publicKey,
      );
    } catch {
      signatureValid = false;
    }
    if (!signatureValid) problems.push("checkpoint signature is not valid");
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
    checkpointResult = { seq: checkpoint.seq, signatureValid, fingerprint, coversLastEvent };
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
