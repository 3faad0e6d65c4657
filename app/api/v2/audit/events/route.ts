// GET /api/v2/audit/events – the key's tenant's audit events, filtered, newest first (scope audit:read)
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { auditEventsResponse } from "@/lib/features/audit/http";

export const GET = withApiKey("audit:read", (request, ctx) =>
  auditEventsResponse(ctx.tenantId, request.nextUrl),
);
