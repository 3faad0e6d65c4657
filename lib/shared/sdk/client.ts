// PQSEAL client SDK: no Next.js or Node-only imports, so it runs in Node.js (>= 20) and browsers.
// It verifies every response envelope (ML-DSA-65 AND HMAC-SHA-512, both always computed) before
// it decrypts anything, exactly as docs/ENVELOPE.md §7 prescribes, and follows signing-key
// rollovers from the keys it pins through their endorsements (§9.1).
import type { CryptoBackend } from "@/lib/shared/crypto/backend";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";
import { fromB64, toHex } from "@/lib/shared/crypto/bytes";
import {
  deriveHmacKey,
  EnvelopeError,
  openEnvelope,
  type HybridCryptoEnvelope,
} from "@/lib/shared/crypto/envelope-format";
import { IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_RULE } from "@/lib/shared/idempotency-key";
import { KeyNotTrustedError, PqsealInvalidRequestError } from "./errors";
import { followKeyChain } from "./key-chain";
import { apiError, exchange, retryPolicy } from "./transport";

export type { HybridCryptoEnvelope };

// An envelope from a signer this client has not seen fetches the keys again, at most this often.
const AUTO_REFRESH_MS = 10_000;

export type ClientCredentials = {
  /** e.g. https://pqseal.example.com */
  baseUrl: string;
  tenantId: string;
  apiKey: string;
  clientKeyId: string;
  /** The client's ML-KEM-768 secret key, base64. */
  clientSecretKey: string;
  /**
   * Pinned ML-DSA-65 public keys by signing key id, base64 (the credentials file's). Keys the
   * tenant rotates to later are trusted through their endorsements (ENVELOPE.md §9.1).
   */
  signingPublicKeys: Record<string, string>;
};

export type ClientOptions = ClientCredentials & {
  fetch?: typeof fetch;
  /** Envelopes older than this are refused (default 300 s). */
  maxAgeSeconds?: number;
  /** Backend for verification and decryption (default: noble, works everywhere). */
  backend?: CryptoBackend;
  /** Per attempt, answer body included (default 30 000 ms); then PqsealTimeoutError. */
  timeoutMs?: number;
  /**
   * Retries of a read, or of a send that carries an Idempotency-Key (default 2). A send without
   * one is never retried: it might reach Twilio twice.
   */
  maxRetries?: number;
  /** The longest wait before a retry, a server's Retry-After included (default 10 000 ms). */
  maxRetryDelayMs?: number;
};

/** Per call: the caller's AbortSignal, and a timeout other than the client's. */
export type CallOptions = { signal?: AbortSignal; timeoutMs?: number };

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
  /** The server answered a repeated Idempotency-Key with the first call's result. */
  replayed: boolean;
  /** The decrypted, verified payload: `{data}` on success, `{error}` when Twilio refused. */
  result: { data?: unknown; error?: { code: string; message: string; remediation?: string } };
};

/** The downloaded credentials file from the console (pqseal-credentials-*.json). */
export function credentialsFromFile(json: string): ClientCredentials {
  let f: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(json);
    if (!parsed || typeof parsed !== "object") throw new TypeError("not an object");
    f = parsed as Record<string, unknown>;
  } catch {
    throw new PqsealInvalidRequestError(
      "credentials file: not the JSON file the console offered when it created the API key.",
    );
  }
  const s = (k: string) => {
    const v = f[k];
    if (typeof v !== "string" || !v) {
      throw new PqsealInvalidRequestError(`credentials file: "${k}" is missing`);
    }
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

/** The signing key id an envelope names, if it names one (verification comes later). */
function signerOf(body: unknown): string | undefined {
  const id = (body as { signature?: { signing_key_id?: unknown } } | null)?.signature
    ?.signing_key_id;
  return typeof id === "string" ? id : undefined;
}

// A header value fetch accepts: printable ASCII (a bad one would fail inside fetch, quoted).
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** The base URL without trailing slashes, or PqsealInvalidRequestError. */
function baseUrlOf(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PqsealInvalidRequestError("baseUrl must be an absolute http(s) URL.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new PqsealInvalidRequestError("baseUrl must be an absolute http(s) URL.");
  }
  return value.replace(/\/+$/, "");
}

export function createClient(options: ClientOptions) {
  const base = baseUrlOf(options.baseUrl);
  if (!HEADER_SAFE.test(options.apiKey)) {
    // Never quote it: it is a secret.
    throw new PqsealInvalidRequestError("apiKey must be the qs_live_… or qs_test_… key, as given.");
  }
  const policy = retryPolicy(options);
  const backend = options.backend ?? nobleBackend;
  const doFetch = options.fetch ?? fetch;
  const secretKey = fromB64(options.clientSecretKey);
  // The pinned keys, and the keys chained to them since; `untrusted`: listed by the last
  // refresh without a chain to them (so a refusal can say "not endorsed" rather than "unknown").
  const trusted = new Map(
    Object.entries(options.signingPublicKeys).map(([id, key]) => [id, fromB64(key)] as const),
  );
  let trustedKeys = Object.fromEntries(trusted);
  let untrusted = new Set<string>();
  let refreshing: Promise<KeysRefresh> | null = null;
  let lastRefresh = Number.NEGATIVE_INFINITY;
  const hmacKey = deriveHmacKey(backend, options.apiKey, options.tenantId);
  // Replay guard: request ids already accepted, kept as long as an envelope could be fresh.
  const seen = new Map<string, number>();
  const maxAgeSeconds = options.maxAgeSeconds ?? 300;
  const policyFor = (call: CallOptions) =>
    call.timeoutMs === undefined ? policy : retryPolicy({ ...policy, timeoutMs: call.timeoutMs });

  /** `refreshFailure`: why keys could not be fetched just before, kept as the refusal's cause. */
  function decrypt(
    envelope: unknown,
    expect: { requestId?: string } = {},
    refreshFailure?: unknown,
  ) {
    const now = Date.now();
    for (const [id, expires] of seen) if (expires < now) seen.delete(id);
    let opened: ReturnType<typeof openEnvelope>;
    try {
      opened = openEnvelope(backend, envelope, {
        tenantId: options.tenantId,
        recipient: { keyId: options.clientKeyId, secretKey },
        signingPublicKeys: trustedKeys,
        hmacKey,
        requestId: expect.requestId,
        maxAgeSeconds,
        seen,
      });
    } catch (error) {
      const signer = signerOf(envelope);
      if (
        error instanceof EnvelopeError &&
        error.code === "unknown_signing_key" &&
        signer !== undefined &&
        untrusted.has(signer)
      ) {
        throw new KeyNotTrustedError("key_not_endorsed", signer, { cause: error });
      }
      if (error instanceof EnvelopeError && error.code === "unknown_signing_key") {
        throw new KeyNotTrustedError("unknown_signing_key", signer, {
          cause: refreshFailure ?? error,
        });
      }
      throw error;
    }
    seen.set(opened.envelope.request_id, now + (maxAgeSeconds + 120) * 1000);
    return opened;
  }

  /** GET /api/v2/keys, then trust what the endorsements chain to a trusted key (§9.1). */
  async function fetchKeys(call: CallOptions = {}): Promise<KeysRefresh> {
    const answer = await exchange(
      doFetch,
      `${base}/api/v2/keys`,
      () => ({ headers: { "x-api-key": options.apiKey } }),
      { retryable: true, policy: policyFor(call), signal: call.signal },
    );
    const { body } = answer;
    if (!answer.response.ok || !body) throw apiError(answer);
    // Another tenant's listing chains to nothing here: every endorsement names its tenant.
    const listed = body.tenant_id === options.tenantId ? body.signing_keys : [];
    const chain = followKeyChain(backend, options.tenantId, trusted, listed);
    trustedKeys = Object.fromEntries(trusted);
    untrusted = new Set(chain.untrusted);
    lastRefresh = Date.now();
    return { added: chain.added, untrusted: chain.untrusted };
  }

  /** One refresh at a time; its callers share it (so it takes no caller's AbortSignal). */
  function refreshKeys(call: { timeoutMs?: number } = {}): Promise<KeysRefresh> {
    refreshing ??= fetchKeys(call).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  /**
   * Verifies and decrypts an envelope that came back, after refreshing the keys when it names
   * a signer not trusted yet (at most every AUTO_REFRESH_MS). A refresh that fails does not
   * hide the answer's fate: the envelope is then refused as KeyNotTrustedError (the request
   * may have been carried out), with the refresh's error as its cause.
   */
  async function openAnswer(body: unknown, expect: { requestId?: string }, call: CallOptions) {
    const signer = signerOf(body);
    let refreshFailure: unknown;
    const due = Date.now() - lastRefresh >= AUTO_REFRESH_MS || refreshing !== null;
    if (signer !== undefined && !trusted.has(signer) && due) {
      try {
        await refreshKeys({
          ...(call.timeoutMs === undefined ? {} : { timeoutMs: call.timeoutMs }),
        });
      } catch (error) {
        refreshFailure = error;
      }
      call.signal?.throwIfAborted();
    }
    return decrypt(body, expect, refreshFailure);
  }

  /**
   * POST /api/v2/proxy/outbound. Pass an Idempotency-Key for every send you might repeat: with
   * one, an unanswered attempt is retried (the server answers a repeat with the first result);
   * without one, nothing is retried.
   */
  async function outbound(
    request: OutboundRequest,
    opts: CallOptions & { idempotencyKey?: string } = {},
  ): Promise<OutboundResult> {
    if (opts.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(opts.idempotencyKey)) {
      throw new PqsealInvalidRequestError(IDEMPOTENCY_KEY_RULE);
    }
    let requestId = "";
    const answer = await exchange(
      doFetch,
      `${base}/api/v2/proxy/outbound`,
      () => {
        // Each attempt has its own id: the envelope it gets must be bound to that attempt.
        requestId = randomRequestId(backend);
        return {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-api-key": options.apiKey,
            "x-client-request-id": requestId,
            ...(opts.idempotencyKey ? { "idempotency-key": opts.idempotencyKey } : {}),
          },
          body: JSON.stringify(request),
        };
      },
      { retryable: Boolean(opts.idempotencyKey), policy: policyFor(opts), signal: opts.signal },
    );
    const { body, response } = answer;
    if (body && "signature" in body && "encrypted" in body) {
      // Always bound to this request: an idempotent replay is re-enveloped for the new request.
      const { payload, envelope } = await openAnswer(body, { requestId }, opts);
      return {
        success: envelope.success,
        status: response.status,
        request_id: envelope.request_id,
        audit_event_id: envelope.audit_event_id,
        replayed: response.headers.get("idempotent-replayed") === "true",
        result: payload as OutboundResult["result"],
      };
    }
    throw apiError(answer);
  }

  return {
    proxy: { outbound },
    keys: {
      /**
       * Fetches GET /api/v2/keys and trusts every key a chain of endorsements links to a pinned
       * one; proxy calls and `encryption.open` do it themselves when a new key signs.
       */
      refresh: refreshKeys,
      /** The signing key ids this client trusts: the pinned ones and those chained to them. */
      trusted: () => [...trusted.keys()],
    },
    encryption: {
      /**
       * Verifies both signatures, freshness and binding, then decrypts; else EnvelopeError.
       * Never fetches: an envelope from a key not seen yet is `unknown_signing_key`.
       */
      decrypt: (envelope: unknown, expect: { requestId?: string } = {}) =>
        decrypt(envelope, expect).payload,
      /** As `decrypt`, after following a key rollover when the envelope's signer is new. */
      open: async (envelope: unknown, expect: { requestId?: string } = {}) =>
        (await openAnswer(envelope, expect, {})).payload,
    },
  };
}

export type KeysRefresh = {
  /** Signing key ids newly trusted through endorsements. */
  added: string[];
  /** Listed signing key ids no chain of endorsements from a trusted key leads to. */
  untrusted: string[];
};
