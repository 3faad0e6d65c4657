import { bigint, index, pgTable, text } from "drizzle-orm/pg-core";
import { idColumn, ts } from "./columns";
import { tenantSigningKeys } from "./tenant-signing-keys";
import { tenants } from "./tenants";

// A chain head signed with the tenant's ML-DSA-65 key (daily and on demand), so an export can
// be verified offline against the tenant's published public key.
export const auditCheckpoints = pgTable(
  "audit_checkpoints",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    headHash: text("head_hash").notNull(),
    signedAt: ts("signed_at").notNull(),
    keyId: text("key_id")
      .notNull()
      .references(() => tenantSigningKeys.id),
    /** base64 ML-DSA-65 signature over the message in docs/CHAIN.md. */
    signature: text("signature").notNull(),
    /** base64 DER RFC 3161 TimeStampToken over SHA-256 of that message (AUDIT_TSA_URL set). */
    timestampToken: text("timestamp_token"),
    /** The time stamping authority that issued it. */
    timestampAuthority: text("timestamp_authority"),
  },
  (t) => [index("audit_checkpoints_tenant_seq_idx").on(t.tenantId, t.seq)],
);

export type AuditCheckpoint = typeof auditCheckpoints.$inferSelect;
