// GET /api/v2/integrations/{id}/webhook-events – accepted Twilio webhooks and their forwarding deliveries, paginated (scope integrations:write)
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { webhookEventsResponse } from "@/lib/features/webhooks/http";

export const GET = withApiKey<{ integrationId: string }>("integrations:write", (r, ctx, p) =>
  webhookEventsResponse(r, ctx, p.integrationId),
);
