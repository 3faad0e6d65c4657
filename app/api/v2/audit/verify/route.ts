// POST /api/v2/audit/verify – walks the key's tenant's hash chain and reports the first broken
// link (scope audit:read; the verification is itself audited)
import { withApiKey } from "@/lib/api-keys/with-api-key";
import { auditVerifyResponse } from "@/lib/audit/api";

export const POST = withApiKey("audit:read", (_request, ctx) =>
  auditVerifyResponse(ctx.tenantId, { actor: ctx.actor, meta: ctx.meta }),
);
