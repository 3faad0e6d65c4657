import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn, sealedColumns, ts } from "./columns";
import { tenants } from "./tenants";

/** Where a stream sends the tenant's audit events. */
export const AUDIT_STREAM_KINDS = ["webhook", "splunk", "s3"] as const;
export type AuditStreamKind = (typeof AUDIT_STREAM_KINDS)[number];

/**
 * What a stream needs besides its secret (never a secret itself): the receiver's URL (webhook,
 * Splunk HEC), or the bucket (S3 and S3-compatible stores).
 */
export type AuditStreamConfig =
  | { kind: "webhook"; url: string }
  | { kind: "splunk"; url: string; index?: string | undefined }
  | {
      kind: "s3";
      endpoint?: string | undefined;
      region: string;
      bucket: string;
      prefix: string;
      accessKeyId: string;
      forcePathStyle: boolean;
    };

// A tenant's audit streams (lib/features/audit-streams). Each keeps its own cursor: the seq of
// the last event its receiver acknowledged, and of the last checkpoint. A worker claims a due
// stream with FOR UPDATE SKIP LOCKED and a lease (`locked_until`, fenced by `claim_token`),
// sends the events after the cursor in seq order, and moves the cursor only after a 2xx, so an
// outage or a crash sends again (receivers de-duplicate by event id) and never skips.
export const auditStreams = pgTable(
  "audit_streams",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind", { enum: AUDIT_STREAM_KINDS }).notNull(),
    config: jsonb("config").$type<AuditStreamConfig>().notNull(),
    /** The webhook signing secret (whsec_…), the Splunk HEC token or the S3 secret key. */
    secretSealed: sealedColumns.value("secret_sealed").notNull(),
    secretVaultKeyId: sealedColumns.vaultKeyId("secret_vault_key_id").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    cursorSeq: bigint("cursor_seq", { mode: "number" }).notNull().default(0),
    checkpointSeq: bigint("checkpoint_seq", { mode: "number" }).notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    lockedUntil: ts("locked_until"),
    claimToken: text("claim_token"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    lastError: text("last_error"),
    lastErrorAt: ts("last_error_at"),
    lastDeliveredAt: ts("last_delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_streams_tenant_idx").on(t.tenantId, t.createdAt),
    index("audit_streams_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.enabled}`),
    check("audit_streams_cursor_positive", sql`${t.cursorSeq} >= 0 and ${t.checkpointSeq} >= 0`),
  ],
);

export type AuditStream = typeof auditStreams.$inferSelect;
