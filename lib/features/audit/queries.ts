import "server-only";
import { and, asc, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db";
import { auditEvents, type AuditEventRow } from "@/db/schema";
import { destinationFingerprint } from "@/lib/platform/phone/fingerprint";
import { isId } from "@/lib/shared/ids";
import type { AuditFilters } from "./schemas";

/** The WHERE clause for a tenant's filtered events; `null` when the filters cannot match. */
export async function filterConditions(
  tenantId: string,
  filters: AuditFilters,
): Promise<SQL[] | null> {
  const conditions: SQL[] = [eq(auditEvents.tenantId, tenantId)];
  if (filters.action) conditions.push(eq(auditEvents.action, filters.action));
  if (filters.outcome) conditions.push(eq(auditEvents.outcome, filters.outcome));
  if (filters.actor) {
    const isId = /^(usr|key)_/.test(filters.actor);
    conditions.push(
      isId
        ? eq(auditEvents.actorId, filters.actor)
        : eq(
            auditEvents.actorLabel,
            filters.actor.includes("@") ? filters.actor.toLowerCase() : filters.actor,
          ),
    );
  }
  if (filters.integration) conditions.push(eq(auditEvents.integrationId, filters.integration));
  if (filters.target) conditions.push(eq(auditEvents.targetId, filters.target));
  if (filters.destination) {
    conditions.push(
      eq(auditEvents.destinationHmac, destinationFingerprint(tenantId, filters.destination).hmac),
    );
  }
  // Time never goes backwards within a tenant's chain, so a time range is a seq range; finding
  // its ends through (tenant_id, occurred_at) keeps every query on the (tenant_id, x, seq) indexes.
  if (filters.from) {
    const [low] = await getDb()
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), gte(auditEvents.occurredAt, filters.from)))
      .orderBy(asc(auditEvents.occurredAt), asc(auditEvents.seq))
      .limit(1);
    if (!low) return null;
    conditions.push(gte(auditEvents.seq, low.seq));
  }
  if (filters.to) {
    const [high] = await getDb()
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), lt(auditEvents.occurredAt, filters.to)))
      .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.seq))
      .limit(1);
    if (!high) return null;
    conditions.push(lte(auditEvents.seq, high.seq));
  }
  return conditions;
}

export interface AuditPage {
  events: AuditEventRow[];
  nextCursor: number | null;
}

/** Newest first, keyset-paginated on seq (no OFFSET): `cursor` is the last seq already seen. */
export async function listAuditEvents(
  tenantId: string,
  query: AuditFilters & { cursor?: number | undefined; limit: number },
): Promise<AuditPage> {
  const conditions = await filterConditions(tenantId, query);
  if (!conditions) return { events: [], nextCursor: null };
  if (query.cursor) conditions.push(lt(auditEvents.seq, query.cursor));
  const rows = await getDb()
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.seq))
    .limit(query.limit + 1);
  const events = rows.slice(0, query.limit);
  const last = events.at(-1);
  return { events, nextCursor: rows.length > query.limit && last ? last.seq : null };
}

export async function getAuditEventOrThrow({ tenantId, id }: { tenantId: string; id: string }) {
  if (!isId("audit", id)) return null;
  const [row] = await getDb()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.id, id)));
  return row ?? null;
}

/** Dashboard figures for the last 24 hours, from the audit data. */
export async function last24hCounts(tenantId: string) {
  const since = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const [row] = await getDb()
    .select({
      proxyCalls: sql<number>`count(*) filter (where ${auditEvents.action} like 'proxy.%' and ${auditEvents.outcome} <> 'denied')::int`,
      denials: sql<number>`count(*) filter (where ${auditEvents.outcome} = 'denied')::int`,
      proxyDenials: sql<number>`count(*) filter (where ${auditEvents.action} = 'proxy.denied')::int`,
      limitRefusals: sql<number>`count(*) filter (where ${auditEvents.action} = 'proxy.rate_limited')::int`,
      webhookRejections: sql<number>`count(*) filter (where ${auditEvents.action} = 'webhook.rejected')::int`,
    })
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), gte(auditEvents.occurredAt, since)));
  return (
    row ?? { proxyCalls: 0, denials: 0, proxyDenials: 0, limitRefusals: 0, webhookRejections: 0 }
  );
}
