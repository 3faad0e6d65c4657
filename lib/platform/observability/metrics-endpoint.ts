import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/platform/config/env";
import { renderMetrics } from "./metrics";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Whether `Authorization: Bearer <token>` carries `expected`, compared in constant time. */
function presentsToken(authorization: string | null, expected: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
  // Digests of equal length, so neither the comparison nor its length check leaks the token.
  return timingSafeEqual(digest(match?.[1] ?? ""), digest(expected)) && match !== null;
}

/**
 * GET /api/metrics: off (404, as if absent) unless METRICS_TOKEN is set; then a bearer token
 * equal to it is needed (401 otherwise), and the answer is the Prometheus text exposition.
 */
export async function metricsResponse(request: Request): Promise<Response> {
  const token = env().METRICS_TOKEN;
  if (!token) return new Response(null, { status: 404 });
  if (!presentsToken(request.headers.get("authorization"), token)) {
    return new Response(null, {
      status: 401,
      headers: { "www-authenticate": 'Bearer realm="metrics"', "cache-control": "no-store" },
    });
  }
  const { body, contentType } = await renderMetrics();
  return new Response(body, {
    status: 200,
    headers: { "content-type": contentType, "cache-control": "no-store" },
  });
}
