import { pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { tenantKeyColumns, ts } from "./columns";
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
    /** Rollover (ENVELOPE.md): the key that endorsed this one, and its signature over it. */
    endorsedBy: text("endorsed_by"),
    endorsement: text("endorsement"),
    /** When this key starts signing envelopes (published before; null: since created). */
    activatesAt: ts("activates_at"),
  },
  (t) => [uniqueIndex("tenant_signing_keys_tenant_version_key").on(t.tenantId, t.version)],
);

/** Which API keys fetched which signing keys (GET /api/v2/keys), for the console. */
export const signingKeyFetches = pgTable(
  "signing_key_fetches",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    apiKeyId: text("api_key_id").notNull(),
    signingKeyId: text("signing_key_id").notNull(),
    firstFetchedAt: ts("first_fetched_at").notNull().defaultNow(),
    lastFetchedAt: ts("last_fetched_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.signingKeyId] })],
);

export type TenantSigningKey = typeof tenantSigningKeys.$inferSelect;
