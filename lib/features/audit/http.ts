import "server-only";
import type { AuditEventRow } from "@/db/schema";
import { queryParams } from "@/lib/platform/http/query-params";
import { startAuditExport } from "./export-events";
import { listAuditEvents } from "./queries";
import type { Acting } from "@/lib/platform/request-context/acting";
import { toChainRecord } from "@/lib/platform/audit/record-audit";
import { auditPageSchema, exportFormatSchema } from "./schemas";
import { streamDownload } from "@/lib/platform/http/stream-lines";
import { verifyAndRecord } from "./verify-chain";

/** An event as the APIs return it: the exported (hashed) fields plus its chain hashes. */
export function toApiEvent(row: AuditEventRow) {
  return { ...toChainRecord(row), prev_hash: row.prevHash, hash: row.hash };
}

/** Shared by the session route (console live mode) and GET /api/v2/audit/events. */
export async function auditEventsResponse(tenantId: string, url: URL): Promise<Response> {
  const query = auditPageSchema.parse(queryParams(url));
  const page = await listAuditEvents(tenantId, query);
  return Response.json({ events: page.events.map(toApiEvent), next_cursor: page.nextCursor });
}

export async function auditExportResponse(by: Acting, url: URL): Promise<Response> {
  const { format, ...raw } = queryParams(url);
  const parsedFormat = exportFormatSchema.parse(format ?? "jsonl");
  const filters = auditPageSchema.omit({ cursor: true, limit: true }).parse(raw);
  const { filename, lines } = await startAuditExport({
    ...by,
    filters,
    format: parsedFormat,
  });
  return streamDownload(lines, filename, parsedFormat);
}

/** POST /api/v2/audit/verify: walks the chain (audited) and answers with the result. */
export async function auditVerifyResponse(by: Acting): Promise<Response> {
  const r = await verifyAndRecord(by);
  return Response.json({
    ok: r.ok,
    checked: r.checked,
    head_seq: r.headSeq,
    head_hash: r.headHash,
    anchor_seq: r.anchorSeq,
    first_broken: r.firstBroken,
    worker_threads: r.workers,
    duration_ms: r.durationMs,
  });
}
