import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn, ts } from "./columns";
import { auditCheckpoints } from "./audit-checkpoints";
import { webhookEvents } from "./webhook-events";

// The forwarding queue: one row per accepted event with a forward URL, or per signed audit
// checkpoint of a tenant with a checkpoint forward URL (exactly one of the two ids is set). Workers claim due rows
// with FOR UPDATE SKIP LOCKED and a lease (`locked_until`), so a crashed worker's row is
// picked up again when the lease runs out; the receiver de-duplicates by event id.
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: idColumn(),
    tenantId: text("tenant_id").notNull(),
    eventId: text("event_id").references(() => webhookEvents.id, { onDelete: "cascade" }),
    checkpointId: text("checkpoint_id").references(() => auditCheckpoints.id, {
      onDelete: "cascade",
    }),
    /** pending | delivered | dead */
    state: text("state").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    lockedUntil: ts("locked_until"),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    deliveredAt: ts("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("webhook_deliveries_due_idx").on(t.state, t.nextAttemptAt),
    index("webhook_deliveries_event_idx").on(t.eventId),
    check(
      "webhook_deliveries_one_subject",
      sql`(${t.eventId} is null) <> (${t.checkpointId} is null)`,
    ),
  ],
);

export const webhookDeliveryAttempts = pgTable(
  "webhook_delivery_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: text("tenant_id").notNull(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    at: createdAt(),
  },
  (t) => [index("webhook_delivery_attempts_delivery_idx").on(t.deliveryId, t.attempt)],
);

export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
