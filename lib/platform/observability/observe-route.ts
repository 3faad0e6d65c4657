import "server-only";
import type { NextRequest } from "next/server";
import { metrics, secondsSince } from "./metrics";

// At most this many distinct route labels: a path that somehow escaped templating cannot grow
// the series without bound (the rest count as "other").
const MAX_ROUTES = 100;

type RouteArg = { params?: Promise<Record<string, string | string[] | undefined>> } | undefined;

/**
 * The route template of a request: each path segment that is a value of one of the route's
 * params becomes `[name]`, so `/api/v2/vault/credentials/cred_…` counts as
 * `/api/v2/vault/credentials/[credentialId]`.
 */
export function routeTemplate(pathname: string, params: Record<string, unknown>): string {
  const names = new Map<string, string>();
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === "string") names.set(value, name);
  }
  const template = pathname
    .split("/")
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // left as it is
      }
      const name = names.get(decoded);
      return name ? `[${name}]` : segment;
    })
    .join("/");
  const { routes } = metrics();
  if (routes.has(template)) return template;
  if (routes.size >= MAX_ROUTES) return "other";
  routes.add(template);
  return template;
}

/** Counts and times one request of `route` (a template, never a raw path with ids). */
export function recordRequest(route: string, method: string, status: number, startedAt: number) {
  const m = metrics();
  m.httpRequests.inc({ route, method, status: String(status) });
  m.httpDuration.observe({ route, method }, secondsSince(startedAt));
}

/**
 * Wraps a route handler: every request is counted by route template, method and status, and
 * timed, from the first line of the handler to its answer (an unexpected throw counts as 500).
 */
export function observeApiRoute<A extends [NextRequest, ...unknown[]]>(
  handler: (...args: A) => Promise<Response>,
): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    const startedAt = performance.now();
    let status = 500;
    try {
      const response = await handler(...args);
      status = response.status;
      return response;
    } finally {
      const [request, route] = args as unknown as [NextRequest, RouteArg];
      const params = (await route?.params?.catch(() => undefined)) ?? {};
      recordRequest(
        routeTemplate(request.nextUrl.pathname, params),
        request.method,
        status,
        startedAt,
      );
    }
  };
}
