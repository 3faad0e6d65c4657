import "server-only";
import { NextResponse, type NextRequest } from "next/server";
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
}

const UNAUTHORIZED = {
  error: {
    code: "unauthenticated",
    message: "Missing or invalid API key.",
    remediation: "Send a live key of this tenant in the X-API-Key header.",
  },
};

/**
 * The machine-client chokepoint for /api/v2: X-API-Key -> key -> tenant -> scope. Missing,
 * unknown, revoked and expired keys all get the same 401; a key outside its scopes gets 403
 * `insufficient_scope` (audited). The tenant always comes from the key, never the request.
 * Path ids that are not ids of their kind are 404 before the handler runs (route-params.ts).
 */
export function withApiKey<P extends RouteParams = Record<string, never>>(
  scope: ApiKeyScope | null,
  handler: (request: NextRequest, ctx: ApiKeyContext, params: P) => Promise<Response>,
) {
  // Counted and timed as a whole, refusals included (pqseal_http_requests_total and _duration).
  return observeApiRoute(authenticated(scope, handler));
}

function authenticated<P extends RouteParams>(
  scope: ApiKeyScope | null,
  handler: (request: NextRequest, ctx: ApiKeyContext, params: P) => Promise<Response>,
) {
  return async (request: NextRequest, route?: { params: Promise<P> }): Promise<Response> => {
    // Machine routes skip proxy.ts (no pages, no CSP): the request id is made here.
    const requestId = newId("request");
    const meta = { ...requestMetaFrom(request.headers), requestId };
    try {
      const key = await authenticateApiKey(request.headers.get("x-api-key"));
      if (!key)
        return NextResponse.json(UNAUTHORIZED, {
          status: 401,
          headers: { "www-authenticate": "ApiKey" },
        });
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
      const presented = request.headers.get("x-api-key") ?? "";
      const params = ((await route?.params) ?? {}) as P;
      checkRouteParams(params);
      return await handler(
        request,
        {
          requestId,
          clientKeyId: key.clientKeyId,
          envelopeHmacKey: async () =>
            deriveHmacKey(await serverBackend(), presented, key.tenantId),
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
