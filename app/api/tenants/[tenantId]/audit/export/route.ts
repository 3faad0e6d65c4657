// GET /api/tenants/{tenantId}/audit/export?format=jsonl|csv – streamed, verifiable export (console)
import { auditExportResponse } from "@/lib/audit/api";
import { withTenant } from "@/lib/tenancy/with-tenant";

export const GET = withTenant("audit:read", (request, ctx) =>
  auditExportResponse(ctx.tenantId, request.nextUrl, ctx),
);
