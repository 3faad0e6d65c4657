// The one small interface every cryptographic backend implements. Byte-level contract:
// ML-KEM-768 (FIPS 203) public key 1184, secret key 2400, ciphertext 1088, shared secret 32;
// ML-DSA-65 (FIPS 204, pure, empty context) public key 1952, secret key 4032, signature 3309;
// AES-256-GCM with a 12-byte nonce and the 16-byte tag appended to the ciphertext.
// Key generation is always from a seed (FIPS 203 d||z, 64 bytes; FIPS 204 xi, 32 bytes), so a
// stored seed gives the same key pair under every backend.

type KeyPair = { publicKey: Uint8Array; secretKey: Uint8Array };

export interface CryptoBackend {
  readonly name: string;
  kemKeygen(seed: Uint8Array): KeyPair;
  kemEncapsulate(publicKey: Uint8Array): { cipherText: Uint8Array; sharedSecret: Uint8Array };
  kemDecapsulate(cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array;
  dsaKeygen(seed: Uint8Array): KeyPair;
  dsaSign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  dsaVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  aesGcmSeal(
    key: Uint8Array,
    nonce: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
  ): Uint8Array;
  /** Throws when the tag does not verify. */
  aesGcmOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array;
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  hkdfSha512(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  hmacSha512(key: Uint8Array, message: Uint8Array): Uint8Array;
  randomBytes(length: number): Uint8Array;
}

export const SIZES = {
  kemPublicKey: 1184,
  kemSecretKey: 2400,
  kemCipherText: 1088,
  kemSeed: 64,
  dsaPublicKey: 1952,
  dsaSignature: 3309,
  dsaSeed: 32,
  nonce: 12,
  gcmTag: 16,
  hmac: 64,
} as const;
