import { AUDIT_OUTCOMES } from "@/lib/shared/audit-vocabulary";
import { sql } from "drizzle-orm";
import { bigint, customType, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { canonicalJson } from "@/lib/shared/jcs";
import { idColumn, ts } from "./columns";

/**
 * `details` is stored as `json` (which keeps its text byte for byte) holding the RFC 8785 (JCS)
 * text the chain hashes, so verification and export use the stored text as it is instead of
 * parsing and re-encoding every object. Rows written before migration 0007 hold jsonb's own
 * rendering; they still verify (by the exact path, see lib/platform/audit/chain-lines.mjs).
 */
const canonicalJsonObject = customType<{
  data: Record<string, unknown>;
  driverData: string;
}>({
  dataType: () => "json",
  toDriver: (value) => canonicalJson(value),
  fromDriver: (value: unknown) =>
    (typeof value === "string" ? JSON.parse(value) : value) as Record<string, unknown>,
});

/**
 * Append-only, hash-chained per tenant (docs/CHAIN.md). A trigger (migration 0001)
 * refuses UPDATE, DELETE and TRUNCATE except inside the retention purge.
 *
 * Indexes: every browse query is `tenant_id = ? [and <one filter>] order by seq desc limit n`
 * with keyset `seq < cursor`, so each filter column gets a (tenant_id, column, seq) index that
 * serves the filter, the order and the cursor with one backward index range scan. Time ranges
 * are turned into a seq range through (tenant_id, occurred_at, seq) with two one-row index-only
 * lookups (seq and time grow together).
 * The partial indexes skip the many events that have no integration or destination.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: idColumn(),
    tenantId: text("tenant_id").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    occurredAt: ts("occurred_at").notNull(),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    integrationId: text("integration_id"),
    outcome: text("outcome", { enum: AUDIT_OUTCOMES }).notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    destinationHmac: text("destination_hmac"),
    destinationLast2: text("destination_last2"),
    details: canonicalJsonObject("details").notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    uniqueIndex("audit_events_tenant_seq_key").on(t.tenantId, t.seq),
    index("audit_events_tenant_time_idx").on(t.tenantId, t.occurredAt, t.seq),
    index("audit_events_tenant_action_idx").on(t.tenantId, t.action, t.seq),
    index("audit_events_tenant_outcome_idx").on(t.tenantId, t.outcome, t.seq),
    index("audit_events_tenant_actor_idx").on(t.tenantId, t.actorId, t.seq),
    index("audit_events_tenant_actor_label_idx").on(t.tenantId, t.actorLabel, t.seq),
    index("audit_events_tenant_target_idx").on(t.tenantId, t.targetId, t.seq),
    index("audit_events_tenant_integration_idx")
      .on(t.tenantId, t.integrationId, t.seq)
      .where(sql`${t.integrationId} is not null`),
    index("audit_events_tenant_destination_idx")
      .on(t.tenantId, t.destinationHmac, t.seq)
      .where(sql`${t.destinationHmac} is not null`),
  ],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
