import crypto, { type KeyObject } from "node:crypto";
import { LRUCache } from "lru-cache";

// ML-KEM-768 encapsulation with Node's own OpenSSL 3.5 (Node >= 24.7), the one operation where
// it beats liboqs on this machine (measured 0.03–0.06 ms against liboqs's 0.08–0.10 ms per
// encapsulation, key import included); for ML-DSA-65 signing liboqs stays ahead (0.61 ms against
// 0.84 ms), so only encapsulation moves. docs/benchmarks.md has the figures and the commands.

type Encapsulate = (key: KeyObject) => { sharedKey: Buffer; ciphertext: Buffer };
const nativeEncapsulate = (crypto as unknown as { encapsulate?: Encapsulate }).encapsulate;

// SubjectPublicKeyInfo for id-alg-ml-kem-768 (2.16.840.1.101.3.4.4.2) around a 1184-byte key.
const SPKI_PREFIX = Buffer.from("308204b2300b0609608648016503040402038204a100", "hex");
// Imported keys by content: the same tenant vault key or client key arrives as new bytes on
// every request, and the import costs more than the encapsulation.
const imported = new LRUCache<string, KeyObject>({ max: 1000 });

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  const name = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.length).toString(
    "latin1",
  );
  let key = imported.get(name);
  if (!key) {
    key = crypto.createPublicKey({
      key: Buffer.concat([SPKI_PREFIX, publicKey]),
      format: "der",
      type: "spki",
    });
    imported.set(name, key);
  }
  return key;
}

type KemEncapsulate = (publicKey: Uint8Array) => {
  cipherText: Uint8Array;
  sharedSecret: Uint8Array;
};

/**
 * Node's ML-KEM-768 encapsulation, or null when this Node has none. `decapsulate` (the other
 * backend's) checks it once: a shared secret that does not round-trip means no native path.
 */
export function nativeKemEncapsulate(
  decapsulate: (cipherText: Uint8Array, secretKey: Uint8Array) => Uint8Array,
  keygen: (seed: Uint8Array) => { publicKey: Uint8Array; secretKey: Uint8Array },
): KemEncapsulate | null {
  if (!nativeEncapsulate) return null;
  const encapsulate: KemEncapsulate = (publicKey) => {
    const { sharedKey, ciphertext } = nativeEncapsulate(publicKeyObject(publicKey));
    // Plain Uint8Arrays, as the backend contract says (liboqs-js refuses Buffers).
    return { cipherText: new Uint8Array(ciphertext), sharedSecret: new Uint8Array(sharedKey) };
  };
  try {
    const probe = keygen(crypto.getRandomValues(new Uint8Array(64)));
    const { cipherText, sharedSecret } = encapsulate(probe.publicKey);
    const opened = decapsulate(cipherText, probe.secretKey);
    return Buffer.from(opened).equals(sharedSecret) ? encapsulate : null;
  } catch {
    return null;
  }
}
