// PQSEAL client SDK: no Next.js or Node-only imports, so it runs in Node.js (>= 20) and browsers.
// It verifies every response envelope (ML-DSA-65 AND HMAC-SHA-512, both always computed) before
// it decrypts anything, exactly as docs/ENVELOPE.md §7 prescribes.
import type { CryptoBackend } from "@/lib/shared/crypto/backend";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";
import { fromB64, toHex } from "@/lib/shared/crypto/bytes";
import {
  deriveHmacKey,
  EnvelopeError,
  openEnvelope,
  type HybridCryptoEnvelope,
} from "@/lib/shared/crypto/envelope-format";

export { EnvelopeError, type HybridCryptoEnvelope };

export type ClientCredentials = {
  /** e.g. https://pqseal.example.com */
  baseUrl: string;
  tenantId: string;
  apiKey: string;
  clientKeyId: string;
  /** The client's ML-KEM-768 secret key, base64. */
  clientSecretKey: string;
  /** Pinned ML-DSA-65 public keys by signing key id, base64 (GET /api/v2/keys, then pin). */
  signingPublicKeys: Record<string, string>;
};

export type ClientOptions = ClientCredentials & {
  fetch?: typeof fetch;
  /** Envelopes older than this are refused (default 300 s). */
  maxAgeSeconds?: number;
  /** Backend for verification and decryption (default: noble, works everywhere). */
  backend?: CryptoBackend;
};

/** An error the server answered without an envelope (bad key, policy refusal, bad input). */
export class PqsealApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly remediation?: string,
  ) {
    super(message);
    this.name = "PqsealApiError";
  }
}

export type OutboundRequest = {
  integration_id: string;
  operation: string;
  payload: Record<string, unknown>;
};

export type OutboundResult = {
  success: boolean;
  status: number;
  request_id: string;
  audit_event_id: string | null;
  /** The decrypted, verified payload: `{data}` on success, `{error}` when Twilio refused. */
  result: { data?: unknown; error?: { code: string; message: string; remediation?: string } };
};

/** The downloaded credentials file from the console (pqseal-credentials-*.json). */
export function credentialsFromFile(json: string): ClientCredentials {
  const f = JSON.parse(json) as Record<string, unknown>;
  const s = (k: string) => {
    const v = f[k];
    if (typeof v !== "string" || !v) throw new Error(`credentials file: "${k}" is missing`);
    return v;
  };
  return {
    baseUrl: s("base_url"),
    tenantId: s("tenant_id"),
    apiKey: s("api_key"),
    clientKeyId: s("client_key_id"),
    clientSecretKey: s("client_secret_key"),
    signingPublicKeys: (f.signing_public_keys ?? {}) as Record<string, string>,
  };
}

function randomRequestId(backend: CryptoBackend) {
  return `cli_${toHex(backend.randomBytes(16))}`;
}

export function createClient(options: ClientOptions) {
  const backend = options.backend ?? nobleBackend;
  const doFetch = options.fetch ?? fetch;
  const secretKey = fromB64(options.clientSecretKey);
  const pinned = Object.fromEntries(
    Object.entries(options.signingPublicKeys).map(([id, key]) => [id, fromB64(key)]),
  );
  const hmacKey = deriveHmacKey(backend, options.apiKey, options.tenantId);
  // Replay guard: request ids already accepted, kept as long as an envelope could be fresh.
  const seen = new Map<string, number>();
  const maxAgeSeconds = options.maxAgeSeconds ?? 300;
  const base = options.baseUrl.replace(/\/+$/, "");

  function decrypt(envelope: unknown, expect: { requestId?: string } = {}) {
    const now = Date.now();
    for (const [id, expires] of seen) if (expires < now) seen.delete(id);
    const opened = openEnvelope(backend, envelope, {
      tenantId: options.tenantId,
      recipient: { keyId: options.clientKeyId, secretKey },
      signingPublicKeys: pinned,
      hmacKey,
      requestId: expect.requestId,
      maxAgeSeconds,
      seen,
    });
    seen.set(opened.envelope.request_id, now + (maxAgeSeconds + 120) * 1000);
    return opened;
  }

  async function outbound(
    request: OutboundRequest,
    opts: { idempotencyKey?: string } = {},
  ): Promise<OutboundResult> {
    const requestId = randomRequestId(backend);
    const response = await doFetch(`${base}/api/v2/proxy/outbound`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": options.apiKey,
        "x-client-request-id": requestId,
        ...(opts.idempotencyKey ? { "idempotency-key": opts.idempotencyKey } : {}),
      },
      body: JSON.stringify(request),
    });
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (body && typeof body === "object" && "signature" in body && "encrypted" in body) {
      // Always bound to this request: an idempotent replay is re-enveloped for the new request.
      const { payload, envelope } = decrypt(body, { requestId });
      return {
        success: envelope.success,
        status: response.status,
        request_id: envelope.request_id,
        audit_event_id: envelope.audit_event_id,
        result: payload as OutboundResult["result"],
      };
    }
    const error = (body?.error ?? {}) as { code?: string; message?: string; remediation?: string };
    throw new PqsealApiError(
      response.status,
      error.code ?? "unexpected_response",
      error.message ?? `PQSEAL answered HTTP ${response.status}`,
      error.remediation,
    );
  }

  return {
    proxy: { outbound },
    encryption: {
      /** Verifies both signatures, freshness and binding, then decrypts; else EnvelopeError. */
      decrypt: (envelope: unknown, expect: { requestId?: string } = {}) =>
        decrypt(envelope, expect).payload,
    },
  };
}
