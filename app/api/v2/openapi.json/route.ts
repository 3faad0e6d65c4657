// GET /api/v2/openapi.json – the OpenAPI 3.1 document of /api/v2 (public, cacheable)
import { withRequestId } from "@/lib/platform/request-context/with-request-id";
import { openApiResponse } from "@/lib/features/openapi/http";

export const GET = withRequestId(openApiResponse);
