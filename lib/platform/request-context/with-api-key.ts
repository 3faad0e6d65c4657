import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { LRUCache } from "lru-cache";
import { getDb } from "@/db";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import type { Acting } from "./acting";
import { AppError } from "@/lib/platform/errors/app-error";
import { toErrorResponse } from "@/lib/platform/errors/to-response";
import { requestMetaFrom } from "@/lib/platform/http/request-meta";
import { deriveHmacKey } from "@/lib/shared/crypto/envelope-format";
import { serverBackend } from "@/lib/platform/crypto/server-backend";
import { newId } from "@/lib/shared/ids";
import { authenticateApiKey } from "@/lib/platform/keys/api-keys";
import type { ApiKeyScope } from "@/lib/shared/api-key-scopes";
import { checkRouteParams, type RouteParams } from "./route-params";
import { observeApiRoute } from "@/lib/platform/observability/observe-route";

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
   * Reads the key again from the database: its current version, or 401 `unauthenticated` when
   * it has been revoked, has expired or lost the route's scope since it was cached.
   */
  confirmKey: () => Promise<string>;
}

// The envelope HMAC key of each API key, derived once: a key id names one secret for life.
const envelopeKeys = new LRUCache<string, Uint8Array>({ max: 10_000 });

async function envelopeKeyOf(keyId: string, presented: string, tenantId: string) {
  let key = envelopeKeys.get(keyId);
  if (!key) {
    key = deriveHmacKey(await serverBackend(), presented, tenantId);
    envelopeKeys.set(keyId, key);
  }
  // A copy: the envelope builder zeroes the key it was given once it is done.
  return key.slice();
}

const UNAUTHORIZED_MESSAGE = "Missing or invalid API key.";
const UNAUTHORIZED_REMEDIATION = "Send a live key of this tenant in the X-API-Key header.";
const UNAUTHORIZED = {
  error: {
    code: "unauthenticated",
    message: UNAUTHORIZED_MESSAGE,
    remediation: UNAUTHORIZED_REMEDIATION,
  },
};
const CHALLENGE = { "www-authenticate": "ApiKey" };

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

function authenticated<P extends RouteParams>(
  scope: ApiKeyScope | null,
  handler: (request: NextRequest, ctx: ApiKeyContext, params: P) => Promise<Response>,
  cachedKey: boolean,
) {
  return async (request: NextRequest, route?: { params: Promise<P> }): Promise<Response> => {
    // Machine routes skip proxy.ts (no pages, no CSP): the request id is made here.
    const requestId = newId("request");
    const meta = { ...requestMetaFrom(request.headers), requestId };
    try {
      const presented = request.headers.get("x-api-key") ?? "";
      let key = await authenticateApiKey(presented, new Date(), { cached: cachedKey });
      // A cached row is re-read before it is refused for its scope (the refusal is audited).
      if (key && cachedKey && scope && !key.scopes.includes(scope)) {
        key = await authenticateApiKey(presented);
      }
      if (!key) return NextResponse.json(UNAUTHORIZED, { status: 401, headers: CHALLENGE });
      const acting: Acting = {
        tenantId: key.tenantId,
        actor: { type: "api_key", id: key.id, label: key.prefix },
        meta,
      };
      if (scope && !key.scopes.includes(scope)) {
        await getDb().transaction((tx) =>
          recordAudit(tx, acting, {
            action: "api_key.denied",
            outcome: "denied",
            target: { type: "api_key", id: key.id },
            details: { required_scope: scope, path: request.nextUrl.pathname },
          }),
        );
        throw new AppError("insufficient_scope", `This API key lacks the "${scope}" scope.`, {
          remediation: "Create a key with that scope in the console (API keys).",
        });
      }
      const params = ((await route?.params) ?? {}) as P;
      const { tenantId, id: keyId } = key;
      const confirmKey = async () => {
        const fresh = await authenticateApiKey(presented);
        const same = fresh && fresh.id === keyId && fresh.tenantId === tenantId;
        if (!same || (scope && !fresh.scopes.includes(scope))) throw unauthenticated();
        return fresh.version;
      };
      checkRouteParams(params);
      return await handler(
        request,
        {
          requestId,
          clientKeyId: key.clientKeyId,
          envelopeHmacKey: () => envelopeKeyOf(keyId, presented, tenantId),
          keyVersion: key.version,
          confirmKey,
          ...acting,
          keyId: key.id,
          prefix: key.prefix,
          scopes: key.scopes,
        },
        params,
      );
    } catch (error) {
      return toErrorResponse(error, requestId);
    }
  };
}
