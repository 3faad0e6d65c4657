import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import type { CryptoBackend } from "@/lib/shared/crypto/backend";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";
import { nativeKemEncapsulate } from "./node-kem";

const u8 = (b: ArrayBuffer) => new Uint8Array(b);
// liboqs-js accepts only exact Uint8Arrays (not Buffers): a zero-copy view converts them.
const plain = (b: Uint8Array) =>
  b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/**
 * The server's fast backend: ML-KEM-768 and ML-DSA-65 from liboqs compiled to WebAssembly
 * (@oqs/liboqs-js), symmetric primitives from Node's OpenSSL (and ML-KEM encapsulation too on
 * Node >= 24.7). Key generation from a seed is not
 * exposed by liboqs, so it stays with noble (same FIPS 203/204 key pairs).
 */
export async function createLiboqsBackend(): Promise<CryptoBackend> {
  const { createMLDSA65, createMLKEM768 } = await import("@oqs/liboqs-js");
  const [kem, dsa] = await Promise.all([createMLKEM768(), createMLDSA65()]);
  const kemDecapsulate = (cipherText: Uint8Array, secretKey: Uint8Array) =>
    kem.decapsulate(plain(cipherText), plain(secretKey));
  const kemKeygen = (seed: Uint8Array) => nobleBackend.kemKeygen(seed);
  // On Node >= 24.7 encapsulation goes to OpenSSL (node-kem.ts says why only that operation).
  const native = nativeKemEncapsulate(kemDecapsulate, kemKeygen);
  return {
    name: native ? "liboqs+node-kem" : "liboqs",
    kemKeygen,
    dsaKeygen: (seed) => nobleBackend.dsaKeygen(seed),
    kemEncapsulate:
      native ??
      ((publicKey) => {
        const { ciphertext, sharedSecret } = kem.encapsulate(plain(publicKey));
        return { cipherText: ciphertext, sharedSecret };
      }),
    kemDecapsulate,
    dsaSign: (message, secretKey) => dsa.sign(plain(message), plain(secretKey)),
    dsaVerify: (signature, message, publicKey) => {
      try {
        return dsa.verify(plain(message), plain(signature), plain(publicKey));
      } catch {
        return false;
      }
    },
    aesGcmSeal: (key, nonce, plaintext, aad) => {
      const cipher = createCipheriv("aes-256-gcm", key, nonce);
      cipher.setAAD(aad);
      return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    },
    aesGcmOpen: (key, nonce, sealed, aad) => {
      if (sealed.length < 16) throw new Error("ciphertext too short");
      const decipher = createDecipheriv("aes-256-gcm", key, nonce);
      decipher.setAAD(aad);
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      return Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - 16)),
        decipher.final(),
      ]);
    },
    hkdfSha256: (ikm, salt, info, length) => u8(hkdfSync("sha256", ikm, salt, info, length)),
    hkdfSha512: (ikm, salt, info, length) => u8(hkdfSync("sha512", ikm, salt, info, length)),
    hmacSha512: (key, message) => createHmac("sha512", key).update(message).digest(),
    randomBytes: (length) => randomBytes(length),
  };
}
