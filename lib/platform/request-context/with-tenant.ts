import "server-only";
import type { NextRequest } from "next/server";
import { toErrorResponse } from "@/lib/platform/errors/to-response";
import { newId } from "@/lib/shared/ids";
import type { Permission } from "./permissions";
import { resolveTenant, type TenantContext } from "./resolve-tenant";
import { checkRouteParams, type RouteParams } from "./route-params";
import { assertSteppedUp } from "./step-up-gate";

type Params = { tenantId: string } & RouteParams;

/**
 * Route-handler form of the chokepoint: resolves caller -> tenant -> role, then maps errors.
 * Path ids that are not ids of their kind are 404 before the handler runs (route-params.ts).
 */
export function withTenant<P extends Params>(
  permission: Permission,
  handler: (request: NextRequest, ctx: TenantContext, params: P) => Promise<Response>,
) {
  return async (request: NextRequest, route: { params: Promise<P> }): Promise<Response> => {
    const requestId = request.headers.get("x-request-id") ?? newId("request");
    try {
      const params = await route.params;
      const ctx = await resolveTenant(params.tenantId, permission);
      checkRouteParams(params);
      await assertSteppedUp(ctx, permission);
      return await handler(request, ctx, params);
    } catch (error) {
      return toErrorResponse(error, requestId);
    }
  };
}
