import { gcm } from "@noble/ciphers/aes.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { ml_dsa65 } from "@noble/post-quantum/ml-dsa.js";
import { ml_kem768 } from "@noble/post-quantum/ml-kem.js";
import type { CryptoBackend } from "./backend";

/** The reference backend: pure JavaScript, works in Node.js, browsers and the SDK. */
export const nobleBackend: CryptoBackend = {
  name: "noble",
  kemKeygen: (seed) => ml_kem768.keygen(seed),
  kemEncapsulate: (publicKey) => ml_kem768.encapsulate(publicKey),
  kemDecapsulate: (cipherText, secretKey) => ml_kem768.decapsulate(cipherText, secretKey),
  dsaKeygen: (seed) => ml_dsa65.keygen(seed),
  dsaSign: (message, secretKey) => ml_dsa65.sign(message, secretKey),
  dsaVerify: (signature, message, publicKey) => {
    try {
      return ml_dsa65.verify(signature, message, publicKey);
    } catch {
      return false;
    }
  },
  aesGcmSeal: (key, nonce, plaintext, aad) => gcm(key, nonce, aad).encrypt(plaintext),
  aesGcmOpen: (key, nonce, sealed, aad) => gcm(key, nonce, aad).decrypt(sealed),
  hkdfSha256: (ikm, salt, info, length) => hkdf(sha256, ikm, salt, info, length),
  hkdfSha512: (ikm, salt, info, length) => hkdf(sha512, ikm, salt, info, length),
  hmacSha512: (key, message) => hmac(sha512, key, message),
  randomBytes: (length) => randomBytes(length),
};
