import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CryptoBackend } from "@/lib/shared/crypto/backend";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";
import { createClient, EnvelopeError, type HybridCryptoEnvelope } from "./index";

const vector = JSON.parse(
  readFileSync(new URL("../crypto/fixtures/envelope-v1.json", import.meta.url), "utf8"),
) as {
  now: string;
  api_key: string;
  tenant_id: string;
  client_key_id: string;
  client_secret_key: string;
  signing_public_keys: Record<string, string>;
  expected_payload: unknown;
  envelope: HybridCryptoEnvelope;
};

// A fresh client per envelope: its replay cache must not be what rejects a variant.
const client = (backend?: CryptoBackend) =>
  createClient({
    ...(backend ? { backend } : {}),
    baseUrl: "https://pqseal.invalid",
    tenantId: vector.tenant_id,
    apiKey: vector.api_key,
    clientKeyId: vector.client_key_id,
    clientSecretKey: vector.client_secret_key,
    signingPublicKeys: vector.signing_public_keys,
  });

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Every other spelling of `b64` that differs only in the unused low bits of its last symbol. */
function nonCanonicalVariants(b64: string): string[] {
  const padding = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0;
  if (padding === 0) return [];
  const at = b64.length - padding - 1;
  const unusedMask = padding === 2 ? 0b1111 : 0b11;
  const value = ALPHABET.indexOf(b64.charAt(at));
  const variants: string[] = [];
  for (let low = 1; low <= unusedMask; low++) {
    variants.push(b64.slice(0, at) + ALPHABET.charAt(value ^ low) + b64.slice(at + 1));
  }
  return variants;
}

describe("SDK envelope decoding (ENVELOPE.md §1: canonical base64 only)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(vector.now));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("opens the test vector as sent", () => {
    expect(client().encryption.decrypt(vector.envelope)).toEqual(vector.expected_payload);
  });

  it("hands its backend only plain Uint8Arrays (liboqs-js refuses Buffers and subclasses)", () => {
    const calls: string[] = [];
    const strict = Object.fromEntries(
      Object.entries(nobleBackend).map(([name, member]) => [
        name,
        typeof member === "function"
          ? (...args: unknown[]) => {
              for (const arg of args) {
                if (arg instanceof Uint8Array && arg.constructor !== Uint8Array) {
                  throw new TypeError(`${name} got a ${arg.constructor.name}`);
                }
              }
              calls.push(name);
              return (member as (...a: unknown[]) => unknown)(...args);
            }
          : member,
      ]),
    ) as unknown as CryptoBackend;
    expect(client(strict).encryption.decrypt(vector.envelope)).toEqual(vector.expected_payload);
    expect(calls).toEqual(expect.arrayContaining(["dsaVerify", "kemDecapsulate", "aesGcmOpen"]));
  });

  it("rejects every non-canonical spelling of a padded field (same bytes, other text)", () => {
    const fields = [
      ["encrypted", "ciphertext_kem"],
      ["encrypted", "nonce"],
      ["encrypted", "ciphertext_data"],
      ["signature", "pqc_signature"],
      ["signature", "hmac_signature"],
    ] as const;
    let tried = 0;
    for (const [group, field] of fields) {
      const original = (vector.envelope[group] as Record<string, string>)[field] ?? "";
      for (const variant of nonCanonicalVariants(original)) {
        // The decoded bytes are unchanged, so only the decoder can tell.
        expect(Buffer.from(variant, "base64").equals(Buffer.from(original, "base64"))).toBe(true);
        const tampered = structuredClone(vector.envelope);
        (tampered[group] as Record<string, string>)[field] = variant;
        expect(
          () => client().encryption.decrypt(tampered),
          `${field} ${variant.slice(-4)}`,
        ).toThrow(EnvelopeError);
        tried++;
      }
    }
    // ciphertext_kem (1088 bytes, "=": 3 variants) and hmac_signature (64 bytes, "==": 15).
    expect(tried).toBe(18);
  });

  it("rejects whitespace, a missing padding and the base64url alphabet in a field", () => {
    const kem = vector.envelope.encrypted.ciphertext_kem;
    for (const spelled of [
      `${kem.slice(0, 76)}\n${kem.slice(76)}`,
      ` ${kem}`,
      kem.replace(/=+$/, ""),
      `${kem}=`,
      kem.replaceAll("+", "-").replaceAll("/", "_"),
    ]) {
      if (spelled === kem) continue;
      const tampered = structuredClone(vector.envelope);
      tampered.encrypted.ciphertext_kem = spelled;
      expect(() => client().encryption.decrypt(tampered)).toThrow(EnvelopeError);
    }
  });
});
