import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { tenantKeyColumns } from "./columns";
import { tenants } from "./tenants";

// A tenant's ML-DSA-65 signing key pair. Only the public key is stored in the clear; the
// secret (its 32-byte FIPS 204 seed) is stored wrapped by the KMS (lib/platform/kms).
export const tenantSigningKeys = pgTable(
  "tenant_signing_keys",
  {
    ...tenantKeyColumns(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
  },
  (t) => [uniqueIndex("tenant_signing_keys_tenant_version_key").on(t.tenantId, t.version)],
);

export type TenantSigningKey = typeof tenantSigningKeys.$inferSelect;
