import "server-only";
import type { NextRequest } from "next/server";
import { toErrorResponse } from "@/lib/platform/errors/to-response";
import { requestIdFrom } from "@/lib/platform/http/request-meta";
import type { Permission } from "./permissions";
import { resolveTenant, type TenantContext } from "./resolve-tenant";
import { checkRouteParams, type RouteParams } from "./route-params";
import { assertSteppedUp } from "./step-up-gate";
import { tagged } from "./with-request-id";

type Params = { tenantId: string } & RouteParams;

/**
 * Route-handler form of the chokepoint: resolves caller -> tenant -> role, then maps errors to
 * problem details (the same shape as /api/v2's).
 * Path ids that are not ids of their kind are 404 before the handler runs (route-params.ts).
 */
export function withTenant<P extends Params>(
  permission: Permission,
  handler: (request: NextRequest, ctx: TenantContext, params: P) => Promise<Response>,
) {
  return async (request: NextRequest, route: { params: Promise<P> }): Promise<Response> => {
    // proxy.ts gave the request its id (a caller's own is replaced there); answers carry it.
    const requestId = requestIdFrom(request.headers);
    try {
      const params = await route.params;
      const ctx = await resolveTenant(params.tenantId, permission);
      checkRouteParams(params);
      await assertSteppedUp(ctx, permission);
      return tagged(await handler(request, ctx, params), requestId);
    } catch (error) {
      return toErrorResponse(error, requestId);
    }
  };
}
