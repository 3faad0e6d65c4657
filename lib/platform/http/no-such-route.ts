import "server-only";
import { AppError } from "@/lib/platform/errors/app-error";
import { withRequestId } from "@/lib/platform/request-context/with-request-id";

/**
 * Any method on an /api/v2 path no route serves: 404 `not_found` as problem details with its
 * X-Request-Id, like every /api/v2 answer (Next's own 404 page would carry neither).
 */
export const noSuchRoute = withRequestId(() =>
  Promise.reject(
    new AppError("not_found", "No /api/v2 route has this path.", {
      remediation: "The routes are listed in /api/v2/openapi.json and on the API reference page.",
    }),
  ),
);
