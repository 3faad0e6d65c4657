import { boolean, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, sealedColumns, ts } from "./columns";

// Idempotency-Key records for the proxy (24 h). The stored result is sealed like a credential
// (it may hold phone numbers), and re-enveloped for each replay.
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    tenantId: text("tenant_id").notNull(),
    apiKeyId: text("api_key_id").notNull(),
    key: text("key").notNull(),
    /** SHA-256 of the canonical request (integration, operation, payload). */
    requestHash: text("request_hash").notNull(),
    /** in_progress | completed */
    state: text("state").notNull(),
    httpStatus: integer("http_status"),
    success: boolean("success"),
    auditEventId: text("audit_event_id"),
    sealedResult: sealedColumns.value("sealed_result"),
    vaultKeyId: sealedColumns.vaultKeyId("vault_key_id"),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.apiKeyId, t.key] })],
);
