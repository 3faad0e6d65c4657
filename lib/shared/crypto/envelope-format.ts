// HybridCryptoEnvelope version 1: building and opening. Portable (no Node.js or Next.js
// imports): the server builds with its fast backend, the SDK opens with noble. docs/ENVELOPE.md
// is the normative byte-level description; keep the two in step.
import { SIZES, type CryptoBackend } from "./backend";
import {
  concatBytes,
  constantTimeEqual,
  fromB64,
  lengthPrefixed,
  toB64,
  utf8,
  wipe,
} from "./bytes";

const ENVELOPE_VERSION = 1;
const KEM_ALGORITHM = "ML-KEM-768";
const SIGNATURE_ALGORITHM = "ML-DSA-65+HMAC-SHA-512";
const DOMAIN = "PQSEAL-ENVELOPE-V1";
const AES_SALT_INFO = "pqseal/envelope/v1/aes-256-gcm";
const HMAC_SALT = "pqseal/envelope/v1/hmac-salt";
const HMAC_INFO = "pqseal/envelope/v1/hmac|";
const ISSUED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MAX_FUTURE_SKEW_MS = 60_000;

export type HybridCryptoEnvelope = {
  version: 1;
  success: boolean;
  request_id: string;
  issued_at: string;
  audit_event_id: string | null;
  encrypted: {
    algorithm: typeof KEM_ALGORITHM;
    tenant_id: string;
    recipient_key_id: string;
    ciphertext_kem: string;
    nonce: string;
    ciphertext_data: string;
  };
  signature: {
    algorithm: typeof SIGNATURE_ALGORITHM;
    tenant_id: string;
    signing_key_id: string;
    pqc_signature: string;
    hmac_signature: string;
  };
};

/** Why an envelope was refused (ENVELOPE.md §7): stable codes a client may branch on. */
export type EnvelopeErrorCode =
  | "envelope_malformed"
  | "unknown_signing_key"
  | "key_not_endorsed"
  | "signature_invalid"
  | "envelope_stale"
  | "envelope_mismatch"
  | "decryption_failed";

const KEY_ID = /^[A-Za-z0-9_]{1,64}$/;
const keyName = (id: string | undefined) => (id && KEY_ID.test(id) ? `key ${id}` : "a key");

const EXPLANATIONS: Record<
  EnvelopeErrorCode,
  (keyId?: string) => { message: string; remediation: string }
> = {
  envelope_malformed: () => ({
    message: "the response is not a well-formed version 1 envelope.",
    remediation: "Check that base_url points at PQSEAL and that the SDK is up to date.",
  }),
  unknown_signing_key: (id) => ({
    message: `the response is signed by ${keyName(id)}, which this client has not seen.`,
    remediation:
      "Call client.keys.refresh() to follow the tenant's key rollover (the SDK's proxy calls do it themselves), or check tenant_id and base_url in your credentials file.",
  }),
  key_not_endorsed: (id) => ({
    message: `the response is signed by ${keyName(id)}, and no chain of endorsements leads to it from a signing key you pinned.`,
    remediation:
      "Do not trust this response. Compare the key's fingerprint with Settings → Signing keys in the console; if it is the tenant's, download a new credentials file (or pin it), otherwise report it.",
  }),
  signature_invalid: () => ({
    message: "the response's ML-DSA-65 and HMAC-SHA-512 signatures do not both verify.",
    remediation:
      "Check that api_key in your credentials file is the key making the call; a response altered on its way is refused.",
  }),
  envelope_stale: () => ({
    message: "the response is older than the allowed age, or dated in the future.",
    remediation: "Check this machine's clock (NTP), or raise maxAgeSeconds.",
  }),
  envelope_mismatch: () => ({
    message:
      "the response is not bound to this request (another tenant, client key or request id, or a replay).",
    remediation: "Check tenant_id and client_key_id in your credentials file.",
  }),
  decryption_failed: () => ({
    message: "the response verified but could not be decrypted.",
    remediation: "Check client_secret_key in your credentials file.",
  }),
};

/**
 * Every verification or decryption failure. All checks run before the code is chosen (§7), so
 * the code adds no timing signal; it tells the client's operator what to fix.
 */
export class EnvelopeError extends Error {
  readonly remediation: string;
  constructor(
    readonly code: EnvelopeErrorCode,
    signingKeyId?: string,
  ) {
    const { message, remediation } = EXPLANATIONS[code](signingKeyId);
    super(`envelope rejected (${code}): ${message}`);
    this.name = "EnvelopeError";
    this.remediation = remediation;
  }
}

type HeaderFields = {
  success: boolean;
  requestId: string;
  issuedAt: string;
  auditEventId: string | null;
  tenantId: string;
  recipientKeyId: string;
  signingKeyId: string;
  cipherTextKem: Uint8Array;
  nonce: Uint8Array;
};

/** ENVELOPE.md §3: the header H, which is the AES-GCM associated data. */
function encodeHeader(f: HeaderFields): Uint8Array {
  return concatBytes(
    ...[
      utf8(DOMAIN),
      Uint8Array.of(ENVELOPE_VERSION),
      Uint8Array.of(f.success ? 1 : 0),
      utf8(f.requestId),
      utf8(f.issuedAt),
      utf8(f.auditEventId ?? ""),
      utf8(KEM_ALGORITHM),
      utf8(f.tenantId),
      utf8(f.recipientKeyId),
      utf8(SIGNATURE_ALGORITHM),
      utf8(f.tenantId),
      utf8(f.signingKeyId),
      f.cipherTextKem,
      f.nonce,
    ].map(lengthPrefixed),
  );
}

/** ENVELOPE.md §5: the HMAC key, bound to the API key that made the request and the tenant. */
export function deriveHmacKey(backend: CryptoBackend, apiKey: string, tenantId: string) {
  return backend.hkdfSha512(utf8(apiKey), utf8(HMAC_SALT), utf8(HMAC_INFO + tenantId), 64);
}

function aesKey(backend: CryptoBackend, sharedSecret: Uint8Array, cipherTextKem: Uint8Array) {
  return backend.hkdfSha256(sharedSecret, cipherTextKem, utf8(AES_SALT_INFO), 32);
}

export type SealEnvelopeInput = {
  tenantId: string;
  requestId: string;
  issuedAt: Date;
  auditEventId: string | null;
  success: boolean;
  recipient: { keyId: string; publicKey: Uint8Array };
  signer: { keyId: string; secretKey: Uint8Array };
  hmacKey: Uint8Array;
  payload: unknown;
};

export function sealEnvelope(backend: CryptoBackend, input: SealEnvelopeInput) {
  const { cipherText: cipherTextKem, sharedSecret } = backend.kemEncapsulate(
    input.recipient.publicKey,
  );
  const key = aesKey(backend, sharedSecret, cipherTextKem);
  const nonce = backend.randomBytes(SIZES.nonce);
  const issuedAt = input.issuedAt.toISOString();
  const header = encodeHeader({
    success: input.success,
    requestId: input.requestId,
    issuedAt,
    auditEventId: input.auditEventId,
    tenantId: input.tenantId,
    recipientKeyId: input.recipient.keyId,
    signingKeyId: input.signer.keyId,
    cipherTextKem,
    nonce,
  });
  const data = backend.aesGcmSeal(key, nonce, utf8(JSON.stringify(input.payload)), header);
  wipe(sharedSecret, key);
  const message = concatBytes(header, lengthPrefixed(data));
  const envelope: HybridCryptoEnvelope = {
    version: ENVELOPE_VERSION,
    success: input.success,
    request_id: input.requestId,
    issued_at: issuedAt,
    audit_event_id: input.auditEventId,
    encrypted: {
      algorithm: KEM_ALGORITHM,
      tenant_id: input.tenantId,
      recipient_key_id: input.recipient.keyId,
      ciphertext_kem: toB64(cipherTextKem),
      nonce: toB64(nonce),
      ciphertext_data: toB64(data),
    },
    signature: {
      algorithm: SIGNATURE_ALGORITHM,
      tenant_id: input.tenantId,
      signing_key_id: input.signer.keyId,
      pqc_signature: toB64(backend.dsaSign(message, input.signer.secretKey)),
      hmac_signature: toB64(backend.hmacSha512(input.hmacKey, message)),
    },
  };
  return envelope;
}

export type OpenEnvelopeOptions = {
  tenantId: string;
  recipient: { keyId: string; secretKey: Uint8Array };
  /** Pinned ML-DSA-65 public keys by signing key id. */
  signingPublicKeys: Record<string, Uint8Array>;
  hmacKey: Uint8Array;
  /** When given, the envelope must answer exactly this request id. */
  requestId?: string | undefined;
  now?: Date | undefined;
  maxAgeSeconds?: number | undefined;
  /** Request ids already accepted; a repeat is a replay. The caller adds accepted ids. */
  seen?: { has(requestId: string): boolean } | undefined;
};

const str = (v: unknown): v is string => typeof v === "string";

/**
 * ENVELOPE.md §7: structure, then BOTH signatures (always both computed, combined with `&`),
 * then freshness and binding, and only then decryption. Any failure throws EnvelopeError (its
 * `code` says which check failed).
 */
export function openEnvelope(
  backend: CryptoBackend,
  input: unknown,
  options: OpenEnvelopeOptions,
): { payload: unknown; envelope: HybridCryptoEnvelope } {
  const envelope = input as HybridCryptoEnvelope;
  const e = envelope?.encrypted;
  const s = envelope?.signature;
  if (
    typeof envelope !== "object" ||
    envelope === null ||
    envelope.version !== ENVELOPE_VERSION ||
    typeof envelope.success !== "boolean" ||
    !str(envelope.request_id) ||
    !str(envelope.issued_at) ||
    !ISSUED_AT.test(envelope.issued_at) ||
    !(
      envelope.audit_event_id === null ||
      (str(envelope.audit_event_id) && envelope.audit_event_id !== "")
    ) ||
    typeof e !== "object" ||
    e === null ||
    typeof s !== "object" ||
    s === null ||
    e.algorithm !== KEM_ALGORITHM ||
    s.algorithm !== SIGNATURE_ALGORITHM ||
    !str(e.tenant_id) ||
    e.tenant_id !== s.tenant_id ||
    !str(e.recipient_key_id) ||
    !str(s.signing_key_id) ||
    ![e.ciphertext_kem, e.nonce, e.ciphertext_data, s.pqc_signature, s.hmac_signature].every(str)
  ) {
    throw new EnvelopeError("envelope_malformed");
  }
  let cipherTextKem: Uint8Array, nonce: Uint8Array, data: Uint8Array;
  let pqcSignature: Uint8Array, hmacSignature: Uint8Array;
  try {
    cipherTextKem = fromB64(e.ciphertext_kem);
    nonce = fromB64(e.nonce);
    data = fromB64(e.ciphertext_data);
    pqcSignature = fromB64(s.pqc_signature);
    hmacSignature = fromB64(s.hmac_signature);
  } catch {
    throw new EnvelopeError("envelope_malformed");
  }
  if (
    cipherTextKem.length !== SIZES.kemCipherText ||
    nonce.length !== SIZES.nonce ||
    data.length < SIZES.gcmTag ||
    pqcSignature.length !== SIZES.dsaSignature ||
    hmacSignature.length !== SIZES.hmac
  ) {
    throw new EnvelopeError("envelope_malformed");
  }
  const header = encodeHeader({
    success: envelope.success,
    requestId: envelope.request_id,
    issuedAt: envelope.issued_at,
    auditEventId: envelope.audit_event_id,
    tenantId: e.tenant_id,
    recipientKeyId: e.recipient_key_id,
    signingKeyId: s.signing_key_id,
    cipherTextKem,
    nonce,
  });
  const message = concatBytes(header, lengthPrefixed(data));

  // Both checks always run; the results are combined with a bitwise AND, never short-circuited.
  const publicKey = Object.hasOwn(options.signingPublicKeys, s.signing_key_id)
    ? options.signingPublicKeys[s.signing_key_id]
    : undefined;
  const pqcValid = publicKey ? Number(backend.dsaVerify(pqcSignature, message, publicKey)) : 0;
  const hmacValid = Number(
    constantTimeEqual(backend.hmacSha512(options.hmacKey, message), hmacSignature),
  );
  const issuedAtMs = Date.parse(envelope.issued_at);
  const nowMs = (options.now ?? new Date()).getTime();
  const maxAgeMs = (options.maxAgeSeconds ?? 300) * 1000;
  const fresh = Number(
    Number.isFinite(issuedAtMs) &&
      nowMs - issuedAtMs <= maxAgeMs &&
      issuedAtMs - nowMs <= MAX_FUTURE_SKEW_MS,
  );
  const bound = Number(
    e.tenant_id === options.tenantId &&
      e.recipient_key_id === options.recipient.keyId &&
      (options.requestId === undefined || envelope.request_id === options.requestId) &&
      !(options.seen?.has(envelope.request_id) ?? false),
  );
  if ((pqcValid & hmacValid & fresh & bound) !== 1) {
    // Chosen only after every check ran; signatures first, so a forgery is never "stale".
    const code = !publicKey
      ? "unknown_signing_key"
      : (pqcValid & hmacValid) !== 1
        ? "signature_invalid"
        : bound !== 1
          ? "envelope_mismatch"
          : "envelope_stale";
    throw new EnvelopeError(code, s.signing_key_id);
  }

  let sharedSecret: Uint8Array | undefined;
  let key: Uint8Array | undefined;
  try {
    sharedSecret = backend.kemDecapsulate(cipherTextKem, options.recipient.secretKey);
    key = aesKey(backend, sharedSecret, cipherTextKem);
    const plaintext = backend.aesGcmOpen(key, nonce, data, header);
    return {
      payload: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plaintext)),
      envelope,
    };
  } catch {
    throw new EnvelopeError("decryption_failed");
  } finally {
    wipe(sharedSecret, key);
  }
}
