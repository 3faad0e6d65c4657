import "server-only";
import type { NextRequest } from "next/server";
import { LRUCache } from "lru-cache";
import { getDb } from "@/db";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import type { Acting } from "./acting";
import { AppError } from "@/lib/platform/errors/app-error";
import { toErrorResponse } from "@/lib/platform/errors/to-response";
import { requestIdFrom, requestMetaFrom } from "@/lib/platform/http/request-meta";
import { deriveHmacKey } from "@/lib/shared/crypto/envelope-format";
import { serverBackend } from "@/lib/platform/crypto/server-backend";
import { authenticateApiKey, type AuthenticatedKey } from "@/lib/platform/keys/api-keys";
import { recordWithinBudget, REFUSAL_BUDGET } from "@/lib/platform/audit/record-within-budget";
import {
  bucketPolicy,
  limitRefusal,
  rateLimitHeaders,
  tryTakeToken,
} from "@/lib/platform/limits/buckets";
import { addressAllowed } from "@/lib/shared/cidr";
import type { ApiKeyScope } from "@/lib/shared/api-key-scopes";
import { checkRouteParams, type RouteParams } from "./route-params";
import { observeApiRoute } from "@/lib/platform/observability/observe-route";
import { tagged } from "./with-request-id";

/** A machine client acting through one of its tenant's API keys. */
export interface ApiKeyContext extends Acting {
  keyId: string;
  prefix: string;
  scopes: string[];
  requestId: string;
  /** The client's ML-KEM-768 public key id its envelopes are encrypted to (null: none bound). */
  clientKeyId: string | null;
  /** HMAC-SHA-512 key for this key's envelopes (ENVELOPE.md §5), derived from the presented key. */
  envelopeHmacKey: () => Promise<Uint8Array>;
  /** The key row's version (`xmin`) as read; from this process's cache with `cachedKey`. */
  keyVersion: string;
  /**
   * Reads the key again from the database: its current version and own limits, or the refusal
   * the chokepoint would give it now (401 when revoked, expired or rolled out; 403, audited,
   * when it lost the route's scope or the caller's network).
   */
  confirmKey: () => Promise<{ version: string; limits: KeyLimits | null }>;
  /** The key's own rate limit, taken by the handler itself on `cachedKey` routes (the proxy). */
  keyLimits: KeyLimits | null;
}

type KeyLimits = { ratePerSecond: number; burst: number };

// The envelope HMAC key of each API key secret, derived once (a key has two secrets while a
// roll's grace period runs: each presented secret gets its own).
const envelopeKeys = new LRUCache<string, Uint8Array>({ max: 10_000 });

async function envelopeKeyOf(key: AuthenticatedKey, presented: string) {
  const name = `${key.id}:${key.presentedHash}`;
  let hmacKey = envelopeKeys.get(name);
  if (!hmacKey) {
    hmacKey = deriveHmacKey(await serverBackend(), presented, key.tenantId);
    envelopeKeys.set(name, hmacKey);
  }
  // A copy: the envelope builder zeroes the key it was given once it is done.
  return hmacKey.slice();
}

/**
 * The presented key: X-API-Key, or `Authorization: Bearer <key>`. Both at once must agree
 * (else none: a request cannot name two keys).
 */
function presentedKey(headers: Headers): string {
  const header = headers.get("x-api-key");
  const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(headers.get("authorization") ?? "")?.[1];
  if (header !== null && bearer !== undefined && header !== bearer) return "";
  return header ?? bearer ?? "";
}

/** Why the key may not serve this request, before the handler runs (null: it may). */
function refusalFor(key: AuthenticatedKey, scope: ApiKeyScope | null, ip: string | null) {
  if (scope && !key.scopes.includes(scope)) return "scope";
  if (!addressAllowed(key.allowedCidrs, ip)) return "address";
  return null;
}

const ownLimits = (key: AuthenticatedKey) =>
  key.ratePerSecond && key.burst ? { ratePerSecond: key.ratePerSecond, burst: key.burst } : null;

const UNAUTHORIZED_MESSAGE = "Missing or invalid API key.";
const UNAUTHORIZED_REMEDIATION =
  "Send a live key of this tenant in the X-API-Key header (or as Authorization: Bearer).";
const CHALLENGE = { "www-authenticate": 'ApiKey, Bearer realm="PQSeal API"' };

const unauthenticated = () =>
  new AppError("unauthenticated", UNAUTHORIZED_MESSAGE, {
    remediation: UNAUTHORIZED_REMEDIATION,
    headers: CHALLENGE,
  });

/**
 * The machine-client chokepoint for /api/v2: X-API-Key -> key -> tenant -> scope. Missing,
 * unknown, revoked and expired keys all get the same 401; a key outside its scopes gets 403
 * `insufficient_scope` (audited). The tenant always comes from the key, never the request.
 * Path ids that are not ids of their kind are 404 before the handler runs (route-params.ts).
 */
export function withApiKey<P extends RouteParams = Record<string, never>>(
  scope: ApiKeyScope | null,
  handler: (request: NextRequest, ctx: ApiKeyContext, params: P) => Promise<Response>,
  options: {
    /**
     * The key row may come from this process's cache (the proxy's hot path, which confirms
     * `keyVersion` in its first write and calls `confirmKey` before any refusal).
     */
    cachedKey?: boolean;
  } = {},
) {
  // Counted and timed as a whole, refusals included (pqseal_http_requests_total and _duration).
  return observeApiRoute(authenticated(scope, handler, options.cachedKey === true));
}

/** The chokepoint's 403s: a scope the key lacks, or a network it may not be used from. Audited. */
async function refuse(
  refused: "scope" | "address",
  key: AuthenticatedKey,
  acting: Acting,
  scope: ApiKeyScope | null,
  request: NextRequest,
): Promise<never> {
  const path = request.nextUrl.pathname;
  if (refused === "scope") {
    await getDb().transaction((tx) =>
      recordAudit(tx, acting, {
        action: "api_key.denied",
        outcome: "denied",
        target: { type: "api_key", id: key.id },
        details: { required_scope: scope, path },
      }),
    );
    throw new AppError("insufficient_scope", `This API key lacks the "${scope}" scope.`, {
      remediation: "Create a key with that scope in the console (API keys).",
    });
  }
  // The event's ip column carries the address; repeats are summarised.
  await recordWithinBudget(
    acting,
    { key: `address-refused:${key.id}`, ...REFUSAL_BUDGET },
    {
      action: "api_key.address_refused",
      outcome: "denied",
      target: { type: "api_key", id: key.id },
      details: { path, allowed_networks: key.allowedCidrs.length },
    },
  );
  throw new AppError(
    "ip_not_allowed",
    `This API key may not be used from ${acting.meta.ip ?? "an unknown address"}.`,
    {
      remediation:
        "Call from an address in the key's allowed networks, or ask an admin to add yours (API keys).",
    },
  );
}

/** The key's own token bucket (routes other than the proxy); 429, audited, when it is empty. */
async function takeOwnToken(
  acting: Acting,
  keyId: string,
  limits: { ratePerSecond: number; burst: number },
  request: NextRequest,
): Promise<Record<string, string>> {
  const { allowed, tokens } = await tryTakeToken(
    acting.tenantId,
    `apikey:${keyId}`,
    limits.burst,
    limits.ratePerSecond,
  );
  const headers = rateLimitHeaders([
    bucketPolicy("key", limits.burst, limits.ratePerSecond, tokens),
  ]);
  if (allowed) return headers;
  await recordWithinBudget(
    acting,
    { key: `key-limited:${keyId}`, ...REFUSAL_BUDGET },
    {
      action: "api_key.rate_limited",
      outcome: "denied",
      target: { type: "api_key", id: keyId },
      details: { path: request.nextUrl.pathname, reason: "rate_limited_api_key" },
    },
  );
  throw limitRefusal(
    "rate_limited_api_key",
    `This API key is over its own request rate (${limits.ratePerSecond}/s, burst ${limits.burst}).`,
    (1 - tokens) / limits.ratePerSecond,
    headers,
  );
}

function authenticated<P extends RouteParams>(
  scope: ApiKeyScope | null,
  handler: (request: NextRequest, ctx: ApiKeyContext, params: P) => Promise<Response>,
  cachedKey: boolean,
) {
  return async (request: NextRequest, route?: { params: Promise<P> }): Promise<Response> => {
    // Machine routes skip proxy.ts (no pages, no CSP): the request id is made here (the
    // caller's valid X-Request-Id, else a new one) and every answer carries it.
    const requestId = requestIdFrom(request.headers);
    const meta = { ...requestMetaFrom(request.headers), requestId };
    try {
      const presented = presentedKey(request.headers);
      let key = await authenticateApiKey(presented, new Date(), { cached: cachedKey });
      // A cached row is read again before it is refused (the refusals are audited).
      if (key && cachedKey && refusalFor(key, scope, meta.ip)) {
        key = await authenticateApiKey(presented);
      }
      if (!key) return toErrorResponse(unauthenticated(), requestId);
      const refused = refusalFor(key, scope, meta.ip);
      const acting: Acting = {
        tenantId: key.tenantId,
        actor: { type: "api_key", id: key.id, label: key.prefix },
        meta,
      };
      if (refused) await refuse(refused, key, acting, scope, request);
      // The key's own rate, on every route; the proxy takes it in its one limits statement.
      const limits = ownLimits(key);
      let rateHeaders: Record<string, string> = {};
      if (limits && !cachedKey) rateHeaders = await takeOwnToken(acting, key.id, limits, request);
      const params = ((await route?.params) ?? {}) as P;
      const { tenantId, id: keyId } = key;
      const confirmKey = async () => {
        const fresh = await authenticateApiKey(presented);
        if (!fresh || fresh.id !== keyId || fresh.tenantId !== tenantId) throw unauthenticated();
        const now = refusalFor(fresh, scope, meta.ip);
        if (now) await refuse(now, fresh, acting, scope, request);
        return { version: fresh.version, limits: ownLimits(fresh) };
      };
      checkRouteParams(params);
      const authenticatedKey = key;
      const response = await handler(
        request,
        {
          requestId,
          clientKeyId: key.clientKeyId,
          envelopeHmacKey: () => envelopeKeyOf(authenticatedKey, presented),
          keyVersion: key.version,
          confirmKey,
          keyLimits: cachedKey ? limits : null,
          ...acting,
          keyId: key.id,
          prefix: key.prefix,
          scopes: key.scopes,
        },
        params,
      );
      const answer = tagged(response, requestId);
      for (const [name, value] of Object.entries(rateHeaders)) answer.headers.set(name, value);
      return answer;
    } catch (error) {
      return toErrorResponse(error, requestId);
    }
  };
}
