// POST /api/v2/audit/verify – walks the key's tenant's hash chain and reports the first broken
// link (scope audit:read; the verification is itself audited)
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { auditVerifyResponse } from "@/lib/features/audit/http";

export const POST = withApiKey("audit:read", (_request, ctx) => auditVerifyResponse(ctx));
