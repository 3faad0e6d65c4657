// Every KMS purpose string, in one place. A purpose is bound into each wrap (the local KMS's
// derived key, AWS KMS's encryption context), so a value wrapped for one use cannot be
// unwrapped as another. Changing a string makes stored values unreadable: add, never rename.
export const KMS_PURPOSES = {
  /** Sealed values (lib/platform/sealing/store.ts), one per kind of value. */
  credential: "vault-credential",
  webhookRequest: "webhook-request",
  idempotentResult: "idempotent-result",
  forwardSecret: "forward-secret",
  auditStreamSecret: "audit-stream-secret",
  /** The seeds of the tenant's own key pairs (lib/platform/keys/tenant-keys.ts). */
  signingKeySeed: "signing-key-seed",
  vaultKeySeed: "vault-key-seed",
  /** Audit events waiting on disk for the database (lib/platform/audit/spool.ts). */
  auditSpool: "audit-spool",
  /** A member's TOTP secret, wrapped by the deployment's KMS bound to the user (not a tenant). */
  totpSecret: "totp-secret",
  /** A throwaway value wrapped and unwrapped to test KMS settings before saving them. */
  probe: "kms-probe",
} as const;
