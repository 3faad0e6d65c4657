import { index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, idColumn, sealedColumns } from "./columns";
import { integrations } from "./integrations";

type MaskedNumber = { last2: string; hmac: string } | null;
export type WebhookSummary = {
  sid: string | null;
  status: string | null;
  event_type: string | null;
  error_code: number | null;
  from: MaskedNumber;
  to: MaskedNumber;
};

// Inbound Twilio webhooks that passed signature validation. The raw request is stored sealed
// (vault key + KMS); `summary` holds only what people browse (SIDs, statuses, error codes,
// numbers reduced to keyed hash + last two digits).
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: idColumn(),
    tenantId: text("tenant_id").notNull(),
    integrationId: text("integration_id")
      .notNull()
      .references(() => integrations.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    /** `sig:` + SHA-256 of X-Twilio-Signature (intake.ts): a retry or replay is not stored twice. */
    dedupeKey: text("dedupe_key").notNull(),
    /** `current` or `previous` (validated with the previous secret during its grace period). */
    validation: text("validation").notNull(),
    summary: jsonb("summary").$type<WebhookSummary>().notNull(),
    sealedRequest: sealedColumns.value("sealed_request").notNull(),
    vaultKeyId: sealedColumns.vaultKeyId("vault_key_id").notNull(),
    auditEventId: text("audit_event_id"),
    receivedAt: createdAt(),
  },
  (t) => [
    uniqueIndex("webhook_events_dedupe_key").on(t.integrationId, t.dedupeKey),
    index("webhook_events_tenant_received_idx").on(t.tenantId, t.integrationId, t.receivedAt),
  ],
);

export type WebhookEvent = typeof webhookEvents.$inferSelect;
