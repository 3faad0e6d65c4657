// GET /api/v2/audit/export?format=jsonl|csv – streamed, verifiable export (scope audit:read)
import { withApiKey } from "@/lib/api-keys/with-api-key";
import { auditExportResponse } from "@/lib/audit/api";

export const GET = withApiKey("audit:read", (request, ctx) =>
  auditExportResponse(ctx.tenantId, request.nextUrl, { actor: ctx.actor, meta: ctx.meta }),
);
