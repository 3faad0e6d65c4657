// GET /api/tenants/{tenantId}/audit/events – audit events for the console (live mode polls this)
import { auditEventsResponse } from "@/lib/features/audit/http";
import { withTenant } from "@/lib/platform/request-context/with-tenant";

export const GET = withTenant("audit:read", (request, ctx) =>
  auditEventsResponse(ctx.tenantId, request.nextUrl),
);
