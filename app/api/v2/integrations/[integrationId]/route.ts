// GET/PATCH/DELETE /api/v2/integrations/{id} (scope integrations:write)
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { deleteResponse, getResponse, patchResponse } from "@/lib/features/integrations/http";

type P = { integrationId: string };
export const GET = withApiKey<P>("integrations:write", (r, ctx, p) =>
  getResponse(r, ctx, p.integrationId),
);
export const PATCH = withApiKey<P>("integrations:write", (r, ctx, p) =>
  patchResponse(r, ctx, p.integrationId),
);
export const DELETE = withApiKey<P>("integrations:write", (r, ctx, p) =>
  deleteResponse(r, ctx, p.integrationId),
);
