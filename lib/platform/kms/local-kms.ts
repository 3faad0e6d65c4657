import "server-only";
import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from "node:crypto";
import { LRUCache } from "lru-cache";
import { localMasterKey } from "./local-master-key";

// `local` KMS: per-tenant, per-purpose AES-256-GCM keys derived from the master key with HKDF
// (RFC 5869, SHA-256, salt = tenant id). Wrapped form: `v1.<nonce b64>.<ciphertext+tag b64>`;
// the tenant id and purpose are the AES-GCM associated data, so a wrapped value cannot be
// moved to another tenant or purpose.
function tenantKey(tenantId: string, purpose: string): Buffer {
  return Buffer.from(
    hkdfSync("sha256", localMasterKey(), tenantId, `pqseal/local-kms/v1/${purpose}`, 32),
  );
}

export function wrapSecret(tenantId: string, purpose: string, plaintext: Uint8Array): string {
  const key = tenantKey(tenantId, purpose);
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(`${tenantId}|${purpose}`));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  key.fill(0);
  return `v1.${nonce.toString("base64")}.${body.toString("base64")}`;
}

export function unwrapSecret(tenantId: string, purpose: string, wrapped: string): Buffer {
  const [version, nonceB64, bodyB64] = wrapped.split(".");
  if (version !== "v1" || !nonceB64 || !bodyB64) throw new Error("unknown wrapped secret format");
  const body = Buffer.from(bodyB64, "base64");
  const key = tenantKey(tenantId, purpose);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonceB64, "base64"));
    decipher.setAAD(Buffer.from(`${tenantId}|${purpose}`));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  } finally {
    key.fill(0);
  }
}

// Keys for keyed hashes, derived once per (tenant, purpose) and master key: the hot paths hash
// an API key and a phone number per request. A KeyObject keeps the bytes outside the JS heap.
const hmacKeys = new WeakMap<Buffer, LRUCache<string, KeyObject>>();

/** A per-tenant key for keyed hashes (HMAC), derived the same way; never stored. */
export function tenantHmacKey(tenantId: string, purpose: string): KeyObject {
  const master = localMasterKey();
  let cache = hmacKeys.get(master);
  if (!cache) hmacKeys.set(master, (cache = new LRUCache({ max: 10_000 })));
  const name = `${tenantId}\u0000${purpose}`;
  let key = cache.get(name);
  if (!key) {
    const bytes = tenantKey(tenantId, purpose);
    key = createSecretKey(bytes);
    bytes.fill(0);
    cache.set(name, key);
  }
  return key;
}
