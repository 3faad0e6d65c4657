import { randomBytes } from "@noble/hashes/utils.js";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";
import { toB64, wipe } from "@/lib/shared/crypto/bytes";

/**
 * A client's ML-KEM-768 key pair (FIPS 203), base64. Register the public key with PQSEAL (the
 * console does it when it creates an API key); keep the secret key to yourself.
 */
export function generateClientKeyPair(): { publicKey: string; secretKey: string } {
  const seed = randomBytes(64);
  const { publicKey, secretKey } = nobleBackend.kemKeygen(seed);
  const out = { publicKey: toB64(publicKey), secretKey: toB64(secretKey) };
  wipe(seed, secretKey);
  return out;
}
