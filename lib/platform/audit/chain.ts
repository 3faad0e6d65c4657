import { createHash } from "node:crypto";
import { EXPORT_FIELDS } from "./chain-lines.mjs";
import { canonicalJson } from "@/lib/shared/jcs";

// The hash chain, byte for byte (docs/CHAIN.md). Shared by the writer, the verifier and
// the offline export verifier, so this module must not import anything server-only.
export const CHAIN_VERSION = 1;
export const GENESIS_HASH = "0".repeat(64);
const DOMAIN = "pqseal-audit-v1";

/** Exactly the fields that are hashed, with the names and forms they have in exports. */
export interface ChainRecord {
  id: string;
  tenant_id: string;
  seq: number;
  occurred_at: string; // ISO 8601 UTC with milliseconds, e.g. 2026-11-21T22:48:03.123Z
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  integration_id: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  destination_hmac: string | null;
  destination_last2: string | null;
  details: Record<string, unknown>;
}

/** SHA-256 over "pqseal-audit-v1\n" + prev_hash + "\n" + RFC 8785 (JCS) JSON of the record. */
export function eventHash(prevHash: string, record: ChainRecord): string {
  return createHash("sha256")
    .update(`${DOMAIN}\n${prevHash}\n${canonicalRecord(record)}`)
    .digest("hex");
}

const isEmpty = (o: Record<string, unknown>) => {
  for (const _ in o) return false;
  return true;
};

const str = (v: string | null) => (v === null ? "null" : JSON.stringify(v));

/**
 * RFC 8785 (JCS) encoding of a record. The top-level keys are fixed, so they are written in
 * their sorted order directly (verification walks a million rows a second); only `details`
 * goes through the generic canonicaliser. A unit test checks this equals canonicalJson(record).
 */
export function canonicalRecord(r: ChainRecord): string {
  const details = isEmpty(r.details) ? "{}" : canonicalJson(r.details);
  if (!Number.isSafeInteger(r.seq)) throw new Error("audit record is not serialisable");
  return (
    `{"action":${str(r.action)},"actor_id":${str(r.actor_id)},"actor_label":${str(r.actor_label)},` +
    `"actor_type":${str(r.actor_type)},"destination_hmac":${str(r.destination_hmac)},` +
    `"destination_last2":${str(r.destination_last2)},"details":${details},"id":${str(r.id)},` +
    `"integration_id":${str(r.integration_id)},"ip":${str(r.ip)},"occurred_at":${str(r.occurred_at)},` +
    `"outcome":${str(r.outcome)},"request_id":${str(r.request_id)},"seq":${r.seq},` +
    `"target_id":${str(r.target_id)},"target_type":${str(r.target_type)},"tenant_id":${str(r.tenant_id)},` +
    `"user_agent":${str(r.user_agent)}}`
  );
}

/** The bytes an audit checkpoint's ML-DSA-65 signature covers. */
export function checkpointMessage(c: {
  tenant_id: string;
  seq: number;
  head_hash: string;
  signed_at: string;
}): Uint8Array {
  return new TextEncoder().encode(
    `pqseal-audit-checkpoint-v1\n${c.tenant_id}\n${c.seq}\n${c.head_hash}\n${c.signed_at}`,
  );
}

/**
 * The bytes an export header's ML-DSA-65 signature covers: the header object without its
 * `type` and `signature` fields, as JCS (RFC 8785). Signing the header makes the tenant, filters,
 * completeness, anchor and range of an export as trustworthy as its events.
 */
export function exportHeaderMessage(header: Record<string, unknown>): Uint8Array {
  const { signature: _, type: __, ...signed } = header;
  return new TextEncoder().encode(`pqseal-audit-export-header-v1\n${canonicalJson(signed)}`);
}

/** The hashed fields, in export order (every exported field but prev_hash and hash). */
export const CHAIN_FIELDS = EXPORT_FIELDS.filter(
  (f): f is keyof ChainRecord => f !== "prev_hash" && f !== "hash",
);
