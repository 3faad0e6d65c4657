// GET /api/v2/audit/export?format=jsonl|csv – streamed, verifiable export (scope audit:read)
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { auditExportResponse } from "@/lib/features/audit/http";

export const GET = withApiKey("audit:read", (request, ctx) =>
  auditExportResponse(ctx, request.nextUrl, request.headers),
);
