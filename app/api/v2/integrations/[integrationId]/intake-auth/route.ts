// POST/DELETE /api/v2/integrations/{id}/intake-auth – HTTP Basic credentials on the intake URLs (scope integrations:write)
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { removeIntakeAuthResponse, setIntakeAuthResponse } from "@/lib/features/webhooks/http";

type P = { integrationId: string };
export const POST = withApiKey<P>("integrations:write", (r, ctx, p) =>
  setIntakeAuthResponse(r, ctx, p.integrationId),
);
export const DELETE = withApiKey<P>("integrations:write", (r, ctx, p) =>
  removeIntakeAuthResponse(r, ctx, p.integrationId),
);
