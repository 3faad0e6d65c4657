import { integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, idColumn, ts } from "./columns";
import { tenants } from "./tenants";

// A tenant's ML-DSA-65 signing key pair. Only the public key is stored in the clear; the
// secret (its 32-byte FIPS 204 seed) is stored wrapped by the KMS (lib/kms).
export const tenantSigningKeys = pgTable(
  "tenant_signing_keys",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    algorithm: text("algorithm").notNull(),
    publicKey: text("public_key").notNull(),
    /** SHA-256 of the public key, hex: what clients pin. */
    fingerprint: text("fingerprint").notNull(),
    wrappedSecret: text("wrapped_secret").notNull(),
    createdAt: createdAt(),
    retiredAt: ts("retired_at"),
  },
  (t) => [uniqueIndex("tenant_signing_keys_tenant_version_key").on(t.tenantId, t.version)],
);

export type TenantSigningKey = typeof tenantSigningKeys.$inferSelect;
