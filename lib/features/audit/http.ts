import "server-only";
import { parseInput } from "@/lib/platform/http/parse-input";
import { queryParams } from "@/lib/platform/http/query-params";
import { startAuditExport } from "./export-events";
import { listAuditEvents } from "./queries";
import type { Acting } from "@/lib/platform/request-context/acting";
import { toApiEvent } from "./api-event";
import { auditPageSchema, exportFormatSchema } from "./schemas";
import { streamDownload } from "@/lib/platform/http/stream-lines";
import { verifyAndRecord } from "./verify-chain";
import { servedOverHttps } from "@/lib/platform/http/client-address";
import { EXPORT_TOKEN_PARAM, exportStartedCookie, isDownloadToken } from "./export-download";

/**
 * Shared by the session route (console live mode) and GET /api/v2/audit/events. The list
 * convention of lib/platform/http/pagination.ts; the cursor is the last seq seen, in digits
 * (what the console's page links and earlier clients pass back), still opaque to clients.
 */
export async function auditEventsResponse(tenantId: string, url: URL): Promise<Response> {
  const query = parseInput(auditPageSchema, queryParams(url));
  const page = await listAuditEvents(tenantId, query);
  return Response.json({
    events: page.events.map(toApiEvent),
    next_cursor: page.nextCursor === null ? null : String(page.nextCursor),
    has_more: page.nextCursor !== null,
  });
}

export async function auditExportResponse(
  by: Acting,
  url: URL,
  headers: Headers | null = null,
): Promise<Response> {
  const { format, [EXPORT_TOKEN_PARAM]: token, ...raw } = queryParams(url);
  // Every filter is checked here, before the export starts streaming: once the 200 is sent,
  // an error can only cut the download short.
  const parsedFormat = parseInput(exportFormatSchema, format ?? "jsonl", { prefix: "format" });
  const filters = parseInput(auditPageSchema.omit({ cursor: true, limit: true }), raw);
  const { filename, lines } = await startAuditExport({
    ...by,
    filters,
    format: parsedFormat,
  });
  const response = streamDownload(lines, filename, parsedFormat);
  if (isDownloadToken(token))
    response.headers.append("set-cookie", exportStartedCookie(token, servedOverHttps(headers)));
  return response;
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
