import { index, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn, ts } from "./columns";
import { tenants } from "./tenants";
import { users } from "./users";

// The registry of clients' ML-KEM-768 public keys: proxy responses are encrypted to these.
// The key pair is generated on the client (the console does it in the browser); the secret key
// never reaches the server.
export const clientPublicKeys = pgTable(
  "client_public_keys",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    algorithm: text("algorithm").notNull(),
    publicKey: text("public_key").notNull(),
    /** SHA-256 of the public key, hex. */
    fingerprint: text("fingerprint").notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [index("client_public_keys_tenant_idx").on(t.tenantId)],
);

export type ClientPublicKey = typeof clientPublicKeys.$inferSelect;
