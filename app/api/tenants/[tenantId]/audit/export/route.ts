// GET /api/tenants/{tenantId}/audit/export?format=jsonl|csv – streamed, verifiable export (console)
import { auditExportResponse } from "@/lib/features/audit/http";
import { withTenant } from "@/lib/platform/request-context/with-tenant";

export const GET = withTenant("audit:read", (request, ctx) =>
  auditExportResponse(ctx, request.nextUrl, request.headers),
);
