import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { tenantKeyColumns } from "./columns";
import { tenants } from "./tenants";

// A tenant's ML-KEM-768 vault key pair: credentials are sealed to its public key. The secret
// (the 64-byte FIPS 203 seed d||z) is stored only KMS-wrapped. Rotation adds a version and sets
// `retired_at` on the previous one, which still decrypts until the re-wrap job has moved every
// credential off it.
export const tenantVaultKeys = pgTable(
  "tenant_vault_keys",
  {
    ...tenantKeyColumns(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
  },
  (t) => [uniqueIndex("tenant_vault_keys_tenant_version_key").on(t.tenantId, t.version)],
);

export type TenantVaultKey = typeof tenantVaultKeys.$inferSelect;
