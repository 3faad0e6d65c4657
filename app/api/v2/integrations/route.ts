// GET/POST /api/v2/integrations – list and create integrations (scope integrations:write)
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { createResponse, listResponse } from "@/lib/features/integrations/http";

export const GET = withApiKey("integrations:write", listResponse);
export const POST = withApiKey("integrations:write", createResponse);
