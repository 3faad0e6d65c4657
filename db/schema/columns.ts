import { integer, text, timestamp } from "drizzle-orm/pg-core";

// Column sets shared by every table.
export const createdAt = () =>
  timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Prefixed ULID primary key (`ten_…`, `usr_…`), generated in lib/shared/ids.ts. */
export const idColumn = () => text("id").primaryKey();

/**
 * The columns of a tenant key table (signing and vault keys share them): the public key in the
 * clear with its SHA-256 fingerprint (hex, what clients pin), the secret only KMS-wrapped, and
 * `retired_at` set when a newer version takes over (a retired key still verifies/decrypts).
 * The tenant reference is added by each table.
 */
export const tenantKeyColumns = () => ({
  id: idColumn(),
  version: integer("version").notNull(),
  algorithm: text("algorithm").notNull(),
  publicKey: text("public_key").notNull(),
  fingerprint: text("fingerprint").notNull(),
  wrappedSecret: text("wrapped_secret").notNull(),
  createdAt: createdAt(),
  retiredAt: ts("retired_at"),
});

/**
 * The two columns of every sealed value (lib/platform/sealing/store.ts): the KMS-wrapped
 * ML-KEM-768 + AES-256-GCM ciphertext, and the id of the tenant vault key it is sealed to.
 * The re-wrap job finds every pair through lib/platform/sealing/sealed-columns.ts.
 */
export const sealedColumns = {
  value: (name: string) => text(name),
  vaultKeyId: (name: string) => text(name),
};
