import { bigint, boolean, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, idColumn, ts } from "./columns";
import { roleEnum } from "./memberships";
import { tenants } from "./tenants";
import { users } from "./users";

// A member's second factors, password resets and the single sign-on mapping
// (lib/platform/auth, lib/features/mfa, lib/features/account, lib/features/sso).

/**
 * One TOTP authenticator per user (RFC 6238). The secret is wrapped by the deployment's KMS
 * bound to the user (purpose `totp-secret`); `confirmed_at` is null until a first code proved
 * the enrolment; `last_used_step` refuses a code replayed within its window.
 */
export const userTotp = pgTable("user_totp", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secretWrapped: text("secret_wrapped").notNull(),
  confirmedAt: ts("confirmed_at"),
  lastUsedStep: bigint("last_used_step", { mode: "number" }),
  createdAt: createdAt(),
});

/** One-time recovery codes, stored as hashes only; `used_at` set when one is spent. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: idColumn(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId)],
);

/** WebAuthn credentials (passkeys) a user registered, each with the name they gave it. */
export const passkeys = pgTable(
  "passkeys",
  {
    id: idColumn(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The authenticator's credential id, base64url. */
    credentialId: text("credential_id").notNull(),
    /** COSE public key, base64url. */
    publicKey: text("public_key").notNull(),
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: text("transports").array().notNull().default([]),
    name: text("name").notNull(),
    lastUsedAt: ts("last_used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("passkeys_credential_id_key").on(t.credentialId),
    index("passkeys_user_idx").on(t.userId),
  ],
);

/**
 * A WebAuthn challenge handed to a browser, single-use: registration and step-up name the
 * user; a passwordless sign-in does not (the passkey names them).
 */
export const webauthnChallenges = pgTable("webauthn_challenges", {
  id: idColumn(),
  userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
  /** `register`, `sign_in`, `second_factor` or `step_up`. */
  purpose: text("purpose").notNull(),
  challenge: text("challenge").notNull(),
  expiresAt: ts("expires_at").notNull(),
  createdAt: createdAt(),
});

/**
 * A password reset link: SHA-256 of its token (the token is e-mailed or shown once), single
 * use, one hour. `issued_by` is the owner or admin who issued it, null when the user asked.
 */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: idColumn(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    issuedBy: text("issued_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("password_resets_token_hash_key").on(t.tokenHash),
    index("password_resets_user_idx").on(t.userId),
  ],
);

/**
 * Owners' single sign-on mapping: a verified e-mail domain at the deployment's OIDC issuer
 * becomes a member of this tenant with this role on first sign-in (just in time). With
 * `require_sso`, members of this tenant whose e-mail is in the domain cannot use a password.
 */
export const ssoDomainMappings = pgTable(
  "sso_domain_mappings",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** Lower-case, no leading `@`. */
    domain: text("domain").notNull(),
    role: roleEnum("role").notNull(),
    requireSso: boolean("require_sso").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("sso_domain_mappings_tenant_domain_key").on(t.tenantId, t.domain),
    index("sso_domain_mappings_domain_idx").on(t.domain),
  ],
);
