// GET /api/tenants/{tenantId}/audit/events – audit events for the console (live mode polls this)
import { auditEventsResponse } from "@/lib/audit/api";
import { withTenant } from "@/lib/tenancy/with-tenant";

export const GET = withTenant("audit:read", (request, ctx) =>
  auditEventsResponse(ctx.tenantId, request.nextUrl),
);
