import { beforeAll, describe, expect, it } from "vitest";
import type { CryptoBackend } from "./backend";
import { createLiboqsBackend } from "@/lib/platform/crypto/liboqs-backend";
import { nobleBackend } from "./noble-backend";
import { fromB64, toB64 } from "./bytes";
import {
  deriveHmacKey,
  EnvelopeError,
  openEnvelope,
  sealEnvelope,
  type HybridCryptoEnvelope,
} from "./envelope-format";

const TENANT = "ten_01JTESTTENANT0000000000000";
const API_KEY = "qs_test_0123456789abcdefghijABCDEFGHIJ0123456789x";
const seed = (n: number, length: number) => new Uint8Array(length).fill(n);
const recipient = nobleBackend.kemKeygen(seed(1, 64));
const signer = nobleBackend.dsaKeygen(seed(2, 32));
const now = new Date("2026-11-22T10:00:00.000Z");

let backends: CryptoBackend[];
beforeAll(async () => {
  backends = [nobleBackend, await createLiboqsBackend()];
});

function seal(backend: CryptoBackend, overrides: Partial<Parameters<typeof sealEnvelope>[1]> = {}) {
  return sealEnvelope(backend, {
    tenantId: TENANT,
    requestId: "req_01JREQUEST0000000000000000",
    issuedAt: now,
    auditEventId: "aud_01JAUDIT00000000000000000",
    success: true,
    recipient: { keyId: "ckey_1", publicKey: recipient.publicKey },
    signer: { keyId: "sgk_1", secretKey: signer.secretKey },
    hmacKey: deriveHmacKey(backend, API_KEY, TENANT),
    payload: { sid: "SM123", status: "queued" },
    ...overrides,
  });
}

function open(backend: CryptoBackend, envelope: unknown, overrides: Record<string, unknown> = {}) {
  return openEnvelope(backend, envelope, {
    tenantId: TENANT,
    recipient: { keyId: "ckey_1", secretKey: recipient.secretKey },
    signingPublicKeys: { sgk_1: signer.publicKey },
    hmacKey: deriveHmacKey(backend, API_KEY, TENANT),
    now,
    ...overrides,
  });
}

describe("HybridCryptoEnvelope v1", () => {
  it("round-trips between every pair of backends, with the documented sizes", () => {
    for (const builder of backends) {
      for (const opener of backends) {
        const envelope = seal(builder);
        expect(fromB64(envelope.encrypted.ciphertext_kem)).toHaveLength(1088);
        expect(fromB64(envelope.encrypted.nonce)).toHaveLength(12);
        expect(fromB64(envelope.signature.pqc_signature)).toHaveLength(3309);
        expect(fromB64(envelope.signature.hmac_signature)).toHaveLength(64);
        expect(open(opener, envelope).payload, `${builder.name} -> ${opener.name}`).toEqual({
          sid: "SM123",
          status: "queued",
        });
      }
    }
  });

  it("rejects a single flipped bit in every byte field and any change to every text field", () => {
    const [backend] = backends.slice(-1) as [CryptoBackend];
    const original = seal(backend);
    const mutations: [string, (e: HybridCryptoEnvelope) => void][] = [];
    const byteFields = [
      ["encrypted", "ciphertext_kem"],
      ["encrypted", "nonce"],
      ["encrypted", "ciphertext_data"],
      ["signature", "pqc_signature"],
      ["signature", "hmac_signature"],
    ] as const;
    for (const [group, field] of byteFields) {
      const read = (e: HybridCryptoEnvelope) => (e[group] as Record<string, string>)[field] ?? "";
      const length = fromB64(read(original)).length;
      for (const index of [0, Math.floor(length / 2), length - 1]) {
        for (const bit of [0, 7]) {
          mutations.push([
            `${group}.${field}[${index}] bit ${bit}`,
            (e) => {
              const bytes = fromB64(read(e));
              bytes[index] = (bytes[index] ?? 0) ^ (1 << bit);
              (e[group] as Record<string, string>)[field] = toB64(bytes);
            },
          ]);
        }
      }
    }
    mutations.push(
      ["success", (e) => void (e.success = false)],
      ["request_id", (e) => void (e.request_id = "req_01JREQUEST0000000000000001")],
      ["issued_at", (e) => void (e.issued_at = "2026-11-22T10:00:00.001Z")],
      ["audit_event_id", (e) => void (e.audit_event_id = "aud_01JAUDIT00000000000000001")],
      ["audit_event_id null", (e) => void (e.audit_event_id = null)],
      ["recipient_key_id", (e) => void (e.encrypted.recipient_key_id = "ckey_2")],
      ["signing_key_id", (e) => void (e.signature.signing_key_id = "sgk_2")],
      ["encrypted.tenant_id", (e) => void (e.encrypted.tenant_id = "ten_other")],
      ["version", (e) => void ((e as { version: number }).version = 2)],
      ["algorithm", (e) => void ((e.encrypted as { algorithm: string }).algorithm = "ML-KEM-512")],
    );
    for (const [name, mutate] of mutations) {
      const copy = structuredClone(original);
      mutate(copy);
      for (const opener of backends) {
        expect(() => open(opener, copy), name).toThrow(EnvelopeError);
      }
    }
    expect(open(backend, original).payload).toBeTruthy();
  });

  it("rejects the wrong recipient key, tenant, API key or signing key with one generic error", () => {
    const [backend] = backends.slice(-1) as [CryptoBackend];
    const envelope = seal(backend);
    const other = nobleBackend.kemKeygen(seed(9, 64));
    const cases: Record<string, Record<string, unknown>> = {
      "wrong recipient secret key": { recipient: { keyId: "ckey_1", secretKey: other.secretKey } },
      "other recipient key id": { recipient: { keyId: "ckey_2", secretKey: recipient.secretKey } },
      "wrong tenant": { tenantId: "ten_01JOTHERTENANT000000000000" },
      "wrong API key": { hmacKey: deriveHmacKey(backend, `${API_KEY}y`, TENANT) },
      "HMAC key of another tenant": { hmacKey: deriveHmacKey(backend, API_KEY, "ten_other") },
      "unpinned signing key": {
        signingPublicKeys: { sgk_1: nobleBackend.dsaKeygen(seed(3, 32)).publicKey },
      },
      "no pinned keys": { signingPublicKeys: {} },
    };
    for (const [name, overrides] of Object.entries(cases)) {
      expect(() => open(backend, envelope, overrides), name).toThrow("envelope rejected");
    }
  });

  it("rejects expired, future-dated, replayed and substituted envelopes", () => {
    const [backend] = backends.slice(-1) as [CryptoBackend];
    const envelope = seal(backend);
    const later = (s: number) => new Date(now.getTime() + s * 1000);
    expect(() => open(backend, envelope, { now: later(301) })).toThrow(EnvelopeError);
    expect(open(backend, envelope, { now: later(299) }).payload).toBeTruthy();
    expect(() => open(backend, envelope, { now: later(-61) })).toThrow(EnvelopeError);
    const seen = new Set([envelope.request_id]);
    expect(() => open(backend, envelope, { seen })).toThrow(EnvelopeError);
    expect(() => open(backend, envelope, { requestId: "req_other" })).toThrow(EnvelopeError);
    expect(open(backend, envelope, { requestId: envelope.request_id }).payload).toBeTruthy();
  });

  it("rejects malformed input without throwing anything but the generic error", () => {
    for (const bad of [
      null,
      42,
      "x",
      {},
      { version: 1 },
      { ...seal(nobleBackend), encrypted: null },
    ]) {
      expect(() => open(nobleBackend, bad)).toThrow(EnvelopeError);
    }
  });
});

describe("ENVELOPE.md test vector", () => {
  it("opens under every backend and fails after a flipped bit", async () => {
    const { readFileSync } = await import("node:fs");
    const vector = JSON.parse(
      readFileSync(new URL("./fixtures/envelope-v1.json", import.meta.url), "utf8"),
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
    const options = (backend: CryptoBackend) => ({
      tenantId: vector.tenant_id,
      recipient: { keyId: vector.client_key_id, secretKey: fromB64(vector.client_secret_key) },
      signingPublicKeys: Object.fromEntries(
        Object.entries(vector.signing_public_keys).map(([k, v]) => [k, fromB64(v)]),
      ),
      hmacKey: deriveHmacKey(backend, vector.api_key, vector.tenant_id),
      now: new Date(vector.now),
    });
    for (const backend of backends) {
      expect(openEnvelope(backend, vector.envelope, options(backend)).payload).toEqual(
        vector.expected_payload,
      );
      const tampered = structuredClone(vector.envelope);
      tampered.issued_at = "2026-11-22T10:00:00.001Z";
      expect(() => openEnvelope(backend, tampered, options(backend))).toThrow(EnvelopeError);
    }
  });
});
