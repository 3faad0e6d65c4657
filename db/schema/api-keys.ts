import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, idColumn, ts } from "./columns";
import { clientPublicKeys } from "./client-public-keys";
import { tenants } from "./tenants";
import { users } from "./users";

// Machine-client keys `qs_live_…`/`qs_test_…`. Only a keyed hash of the full key is stored;
// the short public prefix finds the row, the hash comparison (constant time) proves the key.
export const apiKeys = pgTable(
  "api_keys",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** e.g. `qs_live_8XkQ2m4T`: shown in lists and audit events; not secret. */
    prefix: text("prefix").notNull(),
    /** HMAC-SHA-256(pepper, full key), hex. */
    secretHash: text("secret_hash").notNull(),
    /** After a roll: the previous secret's hash, accepted until `previousValidUntil`. */
    previousSecretHash: text("previous_secret_hash"),
    previousValidUntil: ts("previous_valid_until"),
    rolledAt: ts("rolled_at"),
    /** IPv4/IPv6 CIDRs the key may be used from; empty: anywhere. */
    allowedCidrs: text("allowed_cidrs").array().notNull().default([]),
    /** The key's own request rate across every route and integration (null: none). */
    ratePerSecond: integer("rate_per_second"),
    burst: integer("burst"),
    scopes: text("scopes").array().notNull(),
    /** The client's ML-KEM-768 public key its proxy responses are encrypted to. */
    clientKeyId: text("client_key_id").references(() => clientPublicKeys.id),
    expiresAt: ts("expires_at"),
    lastUsedAt: ts("last_used_at"),
    revokedAt: ts("revoked_at"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("api_keys_prefix_key").on(t.prefix),
    index("api_keys_tenant_idx").on(t.tenantId),
  ],
);

export type ApiKey = typeof apiKeys.$inferSelect;
