import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";
import { nativeKemEncapsulate } from "./node-kem";

const hasNativeKem = typeof (crypto as { encapsulate?: unknown }).encapsulate === "function";
const kemDecapsulate = (cipherText: Uint8Array, secretKey: Uint8Array) =>
  nobleBackend.kemDecapsulate(cipherText, secretKey);
const kemKeygen = (seed: Uint8Array) => nobleBackend.kemKeygen(seed);

describe("ML-KEM-768 encapsulation with Node's OpenSSL", () => {
  it.runIf(hasNativeKem)("produces what any FIPS 203 implementation decapsulates", () => {
    const encapsulate = nativeKemEncapsulate(kemDecapsulate, kemKeygen);
    if (!encapsulate) throw new Error("Node's ML-KEM was not taken");
    const recipient = kemKeygen(new Uint8Array(64).fill(9));
    const { cipherText, sharedSecret } = encapsulate(recipient.publicKey);
    expect(cipherText.constructor).toBe(Uint8Array);
    expect(cipherText).toHaveLength(1088);
    expect(kemDecapsulate(cipherText, recipient.secretKey)).toEqual(sharedSecret);
    // A second call with the same key object reuses the import and still differs (fresh randomness).
    expect(encapsulate(recipient.publicKey).cipherText).not.toEqual(cipherText);
  });
  it("is not used when its self-check fails, or where Node has none", () => {
    const broken = () => new Uint8Array(32);
    expect(nativeKemEncapsulate(broken, kemKeygen)).toBeNull();
    if (!hasNativeKem) expect(nativeKemEncapsulate(kemDecapsulate, kemKeygen)).toBeNull();
  });
});
