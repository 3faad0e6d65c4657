import "server-only";
import type { NextRequest } from "next/server";
import { toErrorResponse } from "@/lib/platform/errors/to-response";
import { requestIdFrom } from "@/lib/platform/http/request-meta";

/**
 * `response` with its X-Request-Id header. A response whose headers cannot be changed (one
 * passed through from fetch) is answered as a copy with the same body, status and headers.
 */
export function tagged(response: Response, requestId: string): Response {
  try {
    response.headers.set("x-request-id", requestId);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set("x-request-id", requestId);
    return copy;
  }
}

/**
 * The wrapper of /api/v2 routes that take no API key (Twilio's webhooks): the request id is
 * made once (the caller's valid X-Request-Id, else a new one), handed to the handler for its
 * logs and audit events, and carried by every answer; anything thrown becomes problem details.
 */
export function withRequestId<A extends unknown[]>(
  handler: (request: NextRequest, requestId: string, ...rest: A) => Promise<Response>,
) {
  return async (request: NextRequest, ...rest: A): Promise<Response> => {
    const requestId = requestIdFrom(request.headers);
    try {
      return tagged(await handler(request, requestId, ...rest), requestId);
    } catch (error) {
      return toErrorResponse(error, requestId);
    }
  };
}
