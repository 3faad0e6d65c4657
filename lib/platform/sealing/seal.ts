// Sealing a value at rest (docs/ENVELOPE.md §9): ML-KEM-768 to the tenant's vault public key,
// HKDF-SHA-256 to an AES-256-GCM key, associated data binding tenant, subject (bindings.ts),
// type and version. Output: ciphertext_kem (1088) || nonce (12) || AES-GCM ciphertext+tag. The caller
// then wraps this with the tenant's KMS before storing it (store.ts).
import { SIZES, type CryptoBackend } from "@/lib/shared/crypto/backend";
import { concatBytes, utf8, wipe } from "@/lib/shared/crypto/bytes";

const INFO = utf8("pqseal/vault/v1/aes-256-gcm");

/** What a sealed value is bound to (AES-GCM associated data): its tenant, subject (credential, webhook event, integration…), type and version. */
export type SealBinding = { tenantId: string; subjectId: string; type: string; version: number };

const aad = (b: SealBinding) =>
  utf8(`pqseal/vault/v1|${b.tenantId}|${b.subjectId}|${b.type}|${b.version}`);

export function sealValues(
  backend: CryptoBackend,
  vaultPublicKey: Uint8Array,
  binding: SealBinding,
  values: Record<string, unknown>,
): Uint8Array {
  const { cipherText, sharedSecret } = backend.kemEncapsulate(vaultPublicKey);
  const key = backend.hkdfSha256(sharedSecret, cipherText, INFO, 32);
  const nonce = backend.randomBytes(SIZES.nonce);
  const plaintext = utf8(JSON.stringify(values));
  try {
    return concatBytes(cipherText, nonce, backend.aesGcmSeal(key, nonce, plaintext, aad(binding)));
  } finally {
    wipe(sharedSecret, key, plaintext);
  }
}

export function openSealed(
  backend: CryptoBackend,
  vaultSecretKey: Uint8Array,
  binding: SealBinding,
  sealed: Uint8Array,
): Record<string, string> {
  const cipherText = sealed.subarray(0, SIZES.kemCipherText);
  const nonce = sealed.subarray(SIZES.kemCipherText, SIZES.kemCipherText + SIZES.nonce);
  const body = sealed.subarray(SIZES.kemCipherText + SIZES.nonce);
  const sharedSecret = backend.kemDecapsulate(cipherText, vaultSecretKey);
  const key = backend.hkdfSha256(sharedSecret, cipherText, INFO, 32);
  try {
    const plaintext = backend.aesGcmOpen(key, nonce, body, aad(binding));
    const values = JSON.parse(new TextDecoder().decode(plaintext)) as Record<string, string>;
    wipe(plaintext);
    return values;
  } finally {
    wipe(sharedSecret, key);
  }
}
