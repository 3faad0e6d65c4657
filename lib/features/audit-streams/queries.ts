import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { auditChainHeads, auditStreams, type AuditStreamConfig } from "@/db/schema";
import { notFound } from "@/lib/platform/errors/app-error";
import { isId } from "@/lib/shared/ids";

/** A stream as the console shows it: never its secret. */
export interface StreamView {
  id: string;
  name: string;
  kind: "webhook" | "splunk" | "s3";
  /** Where it sends: the URL, or `s3://bucket/prefix` (with the endpoint when not AWS). */
  destination: string;
  enabled: boolean;
  cursorSeq: number;
  /** Events the receiver has not acknowledged yet: head seq − cursor. */
  lag: number;
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastDeliveredAt: Date | null;
  nextAttemptAt: Date;
  createdAt: Date;
}

function destinationOf(config: AuditStreamConfig): string {
  if (config.kind !== "s3") return config.url;
  const where = `s3://${config.bucket}/${config.prefix}`;
  return config.endpoint ? `${where} at ${config.endpoint}` : `${where} (${config.region})`;
}

/** The tenant's streams, newest first, with their lag. */
export async function listStreams({ tenantId }: { tenantId: string }): Promise<StreamView[]> {
  const [rows, [head]] = await Promise.all([
    getDb()
      .select()
      .from(auditStreams)
      .where(eq(auditStreams.tenantId, tenantId))
      .orderBy(desc(auditStreams.createdAt)),
    getDb()
      .select({ seq: auditChainHeads.seq })
      .from(auditChainHeads)
      .where(eq(auditChainHeads.tenantId, tenantId)),
  ]);
  const headSeq = head?.seq ?? 0;
  return rows.map((s) => ({
    id: s.id,
    name: s.name,
    kind: s.kind,
    destination: destinationOf(s.config),
    enabled: s.enabled,
    cursorSeq: s.cursorSeq,
    lag: Math.max(0, headSeq - s.cursorSeq),
    consecutiveFailures: s.consecutiveFailures,
    lastError: s.lastError,
    lastErrorAt: s.lastErrorAt,
    lastDeliveredAt: s.lastDeliveredAt,
    nextAttemptAt: s.nextAttemptAt,
    createdAt: s.createdAt,
  }));
}

/** One stream of the tenant; another tenant's id is "not found". */
export async function getStreamOrThrow({ tenantId, id }: { tenantId: string; id: string }) {
  if (!isId("auditStream", id)) throw notFound("Audit stream");
  const [row] = await getDb()
    .select()
    .from(auditStreams)
    .where(and(eq(auditStreams.tenantId, tenantId), eq(auditStreams.id, id)));
  if (!row) throw notFound("Audit stream");
  return row;
}
