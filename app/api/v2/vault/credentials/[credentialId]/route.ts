// DELETE /api/v2/vault/credentials/{id} – refused while an integration uses it (scope vault:seal)
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { deleteResponse } from "@/lib/features/vault/http";

export const DELETE = withApiKey<{ credentialId: string }>("vault:seal", (request, ctx, params) =>
  deleteResponse(request, ctx, params.credentialId),
);
