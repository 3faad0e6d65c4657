import "server-only";
import { openApiDocument } from "./document";

/**
 * GET /api/v2/openapi.json: the document, public (it describes the API, not a tenant) and
 * cacheable: it changes only with a deployment.
 */
export function openApiResponse(): Promise<Response> {
  return Promise.resolve(
    Response.json(openApiDocument(), {
      headers: {
        "cache-control": "public, max-age=300, stale-while-revalidate=86400",
        "access-control-allow-origin": "*",
      },
    }),
  );
}
