import type { AuditEventRow } from "@/db/schema";
import { toChainRecord } from "@/lib/platform/audit/record-audit";

/**
 * An event as the APIs (and audit streams) return it: the exported (hashed) fields plus its
 * chain hashes. Its own module, so the worker's audit streams need not bundle the export and
 * chain-verification code (which load worker files beside themselves).
 */
export function toApiEvent(row: AuditEventRow) {
  return { ...toChainRecord(row), prev_hash: row.prevHash, hash: row.hash };
}
