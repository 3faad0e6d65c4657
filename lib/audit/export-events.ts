import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { auditChainHeads } from "@/db/schema";
import { csvCell, csvEvent, jsonlEvent, lineSeq, plainFields } from "./chain-lines.mjs";
import { fetchChainLines, fetchChainRows } from "./chain-rows";
import { canonicalJson } from "./jcs";
import type { AuditActor } from "./record-audit";
import { recordAudit } from "./record-audit";
import { CHAIN_FIELDS, CHAIN_VERSION, GENESIS_HASH, type ChainRecord } from "./chain";
import { signCheckpoint, type SignedCheckpoint } from "./checkpoints";
import { filterConditions } from "./query-events";
import { filtersToParams, type AuditFilters } from "./schemas";
import type { RequestMeta } from "@/lib/http/request-meta";

const BATCH = 2_000;
export const CSV_COLUMNS = [...CHAIN_FIELDS, "prev_hash", "hash"] as const;

function csvLine(record: ChainRecord & { prev_hash: string; hash: string }): string {
  return (
    CSV_COLUMNS.map((c) =>
      csvCell(c === "details" ? canonicalJson(record.details) : record[c]),
    ).join(",") + "\n"
  );
}

export interface ExportRequest {
  tenantId: string;
  filters: AuditFilters;
  format: "jsonl" | "csv";
  actor: AuditActor;
  meta: RequestMeta;
}

/**
 * Prepares an export: signs a fresh checkpoint of the chain head (so the file can be verified
 * offline up to it), records `audit.exported`, and returns a generator that streams the
 * filtered events oldest first in batches (flat memory), ending with the checkpoint.
 */
export async function startAuditExport(
  req: ExportRequest,
): Promise<{ filename: string; lines: AsyncGenerator<string> }> {
  const checkpoint = await signCheckpoint(req.tenantId, { actor: req.actor, meta: req.meta });
  const params = filtersToParams(req.filters);
  await getDb().transaction((tx) =>
    recordAudit(tx, {
      tenantId: req.tenantId,
      action: "audit.exported",
      outcome: "succeeded",
      actor: req.actor,
      meta: req.meta,
      details: { format: req.format, filters: params, through_seq: checkpoint?.seq ?? 0 },
    }),
  );
  const stamp = new Date().toISOString().replaceAll(":", "").slice(0, 15);
  return {
    filename: `pqseal-audit-${req.tenantId}-${stamp}.${req.format}`,
    lines: exportLines(req, checkpoint, params),
  };
}

async function* exportLines(
  req: ExportRequest,
  checkpoint: SignedCheckpoint | null,
  params: Record<string, string>,
): AsyncGenerator<string> {
  const [head] = await getDb()
    .select()
    .from(auditChainHeads)
    .where(eq(auditChainHeads.tenantId, req.tenantId));
  const header = {
    type: "header",
    format: "pqseal-audit-export",
    version: CHAIN_VERSION,
    tenant_id: req.tenantId,
    exported_at: new Date().toISOString(),
    filters: params,
    complete: Object.keys(params).length === 0,
    anchor: { seq: head?.anchorSeq ?? 0, hash: head?.anchorHash ?? GENESIS_HASH },
  };
  if (req.format === "jsonl") yield JSON.stringify(header) + "\n";
  else yield CSV_COLUMNS.join(",") + "\n";

  const conditions = await filterConditions(req.tenantId, req.filters);
  const throughSeq = checkpoint?.seq ?? 0;
  const where = and(...(conditions ?? [])) ?? sql`false`;
  const fetchAfter = (after: number) => fetchChainLines(where, after, throughSeq, BATCH);
  // Events come as joined lines (lib/audit/chain-lines.mjs) and are written out as they are;
  // the rare one with characters that need escaping is read again column by column.
  const exactLine = async (seq: number) => {
    const [row] = await fetchChainRows(where, seq - 1, seq, 1);
    if (!row) return "";
    return req.format === "jsonl" ? `{"type":"event",${JSON.stringify(row).slice(1)}\n` : csvLine(row);
  };
  // One batch is prefetched while the previous one is written out.
  let pending = conditions && throughSeq > 0 ? fetchAfter(0) : null;
  while (pending) {
    const rows = await pending;
    const last = rows.at(-1);
    pending = rows.length === BATCH && last ? fetchAfter(lineSeq(last.l)) : null;
    let chunk = "";
    for (const row of rows) {
      const f = plainFields(row.l, row.n);
      if (!f) chunk += await exactLine(lineSeq(row.l));
      else chunk += req.format === "jsonl" ? jsonlEvent(f, row.n) : csvEvent(f, row.n);
    }
    if (chunk) yield chunk;
  }

  if (checkpoint) {
    const trailer = { type: "checkpoint", ...checkpoint };
    yield req.format === "jsonl"
      ? JSON.stringify(trailer) + "\n"
      : `# ${JSON.stringify(header)}\n# ${JSON.stringify(trailer)}\n`;
  } else if (req.format === "csv") {
    yield `# ${JSON.stringify(header)}\n`;
  }
}
