// POST /api/v2/vault/credentials/{id}/rotate – new values, new version (scope vault:seal)
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { rotateResponse } from "@/lib/features/vault/http";

export const POST = withApiKey<{ credentialId: string }>("vault:seal", (request, ctx, params) =>
  rotateResponse(request, ctx, params.credentialId),
);
