import { index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, sealedColumns, ts } from "./columns";
import { credentials } from "./credentials";
import { tenantVaultKeys } from "./tenant-vault-keys";

// One sealed version of a credential's values: ML-KEM-768 + AES-256-GCM to the tenant's vault
// key `vault_key_id`, then wrapped by the tenant's KMS (lib/platform/sealing/seal.ts). Rotation adds a
// version; the old one stays until `valid_until` (the grace period), for webhook validation.
export const credentialVersions = pgTable(
  "credential_versions",
  {
    credentialId: text("credential_id")
      .notNull()
      .references(() => credentials.id, { onDelete: "cascade" }),
    tenantId: text("tenant_id").notNull(),
    version: integer("version").notNull(),
    vaultKeyId: sealedColumns
      .vaultKeyId("vault_key_id")
      .notNull()
      .references(() => tenantVaultKeys.id),
    sealed: sealedColumns.value("sealed").notNull(),
    /** Keyed hash of the values (not reversible), hex; shown truncated in the console. */
    fingerprint: text("fingerprint").notNull(),
    createdAt: createdAt(),
    /** Null for the current version; end of the grace period for superseded ones. */
    validUntil: ts("valid_until"),
  },
  (t) => [
    primaryKey({ columns: [t.credentialId, t.version] }),
    index("credential_versions_vault_key_idx").on(t.vaultKeyId),
  ],
);

export type CredentialVersion = typeof credentialVersions.$inferSelect;
