import "server-only";
import { getDb, type Tx } from "@/db";
import { TtlCache } from "@/lib/platform/cache/ttl-cache";
import { serverBackend } from "@/lib/platform/crypto/server-backend";
import {
  currentTenantKeyCached,
  tenantKeyById,
  withSecretKey,
  type TenantKey,
} from "@/lib/platform/keys/tenant-keys";
import {
  tenantKmsSettings,
  unwrapForTenant,
  wrapWith,
  type KmsSettings,
} from "@/lib/platform/kms/kms";
import { KMS_PURPOSES } from "@/lib/platform/kms/purposes";
import { fromB64 } from "@/lib/shared/crypto/bytes";
import { openSealed, sealValues, type SealBinding } from "./seal";

// The one store for every secret PQSeal keeps at rest: credential versions, accepted webhook
// requests, idempotent proxy results and webhook forwarding secrets. A value is sealed with
// ML-KEM-768 + AES-256-GCM to the tenant's current vault key (bound to its purpose and
// subject), then wrapped by the tenant's KMS. Every sealed column stores the same pair:
// the wrapped text and the id of the vault key it is sealed to (db/schema/columns.ts), so the
// re-wrap job (rewrap-tenant.ts) can move every one of them.

export type SealPurpose = Exclude<
  keyof typeof KMS_PURPOSES,
  "signingKeySeed" | "vaultKeySeed" | "probe" | "auditSpool" | "totpSecret"
>;
export type { SealBinding };

/** A sealed value as stored: KMS-wrapped ciphertext and the vault key it is sealed to. */
export type SealedValue = { sealed: string; vaultKeyId: string };

type Reader = Pick<Tx, "select" | "transaction">;

// Vault key rows by id (their wrapped seed changes only in the re-wrap job, which forgets them).
const vaultKeys = new TtlCache<TenantKey | undefined>(60_000, "vault_key_rows");
const vaultKeyById = async (tenantId: string, id: string, db?: Reader) =>
  db
    ? (vaultKeys.peek(`${tenantId}:${id}`) ?? tenantKeyById(tenantId, "vault", id, db))
    : vaultKeys.get(`${tenantId}:${id}`, () => tenantKeyById(tenantId, "vault", id));

/**
 * Seals `values` to the tenant's current vault key. Inside a transaction pass it as `db`
 * (PGlite has a single connection, which the transaction holds).
 */
export async function sealForTenant(
  purpose: SealPurpose,
  binding: SealBinding,
  values: Record<string, unknown>,
  db?: Reader,
): Promise<SealedValue> {
  const vaultKey = await currentTenantKeyCached(binding.tenantId, "vault", db);
  const settings = await tenantKmsSettings(binding.tenantId, db ?? getDb());
  return sealWithKey(purpose, binding, values, vaultKey, settings);
}

/** Seals to a given vault key and wraps under given KMS settings. */
async function sealWithKey(
  purpose: SealPurpose,
  binding: SealBinding,
  values: Record<string, unknown>,
  vaultKey: TenantKey,
  settings: KmsSettings,
): Promise<SealedValue> {
  const backend = await serverBackend();
  const sealed = sealValues(backend, fromB64(vaultKey.publicKey), binding, values);
  try {
    const wrapped = await wrapWith(settings, binding.tenantId, KMS_PURPOSES[purpose], sealed);
    return { sealed: wrapped, vaultKeyId: vaultKey.id };
  } finally {
    sealed.fill(0);
  }
}

/** Opens a sealed value of the tenant; fails if purpose, binding or key do not match. */
export async function openForTenant(
  purpose: SealPurpose,
  binding: SealBinding,
  value: SealedValue,
  db?: Reader,
): Promise<Record<string, string>> {
  const vaultKey = await vaultKeyById(binding.tenantId, value.vaultKeyId, db);
  if (!vaultKey) throw new Error(`vault key ${value.vaultKeyId} missing`);
  const backend = await serverBackend();
  const sealed = await unwrapForTenant(binding.tenantId, KMS_PURPOSES[purpose], value.sealed);
  try {
    return await withSecretKey(vaultKey, "vault", (sk) => openSealed(backend, sk, binding, sealed));
  } finally {
    sealed.fill(0);
  }
}

/**
 * Moves a stored value to `newest` (the tenant's current vault key) under `settings` (the
 * tenant's current KMS): a value already sealed to `newest` is only unwrapped and wrapped
 * again; any other is opened and sealed anew. For the re-wrap job.
 */
export async function rewrapValue(
  purpose: SealPurpose,
  binding: SealBinding,
  value: SealedValue,
  target: { newest: TenantKey; settings: KmsSettings },
  db: Reader,
): Promise<{ value: SealedValue; resealed: boolean }> {
  const { newest, settings } = target;
  if (value.vaultKeyId === newest.id) {
    const inner = await unwrapForTenant(binding.tenantId, KMS_PURPOSES[purpose], value.sealed);
    try {
      const sealed = await wrapWith(settings, binding.tenantId, KMS_PURPOSES[purpose], inner);
      return { value: { sealed, vaultKeyId: newest.id }, resealed: false };
    } finally {
      inner.fill(0);
    }
  }
  const values = await openForTenant(purpose, binding, value, db);
  return { value: await sealWithKey(purpose, binding, values, newest, settings), resealed: true };
}

/** Forgets cached vault key rows (the re-wrap job rewrites their wrapped seeds). */
export function forgetVaultKeys() {
  vaultKeys.clear();
}
