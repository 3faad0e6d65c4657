import { notFound } from "@/lib/platform/errors/app-error";
import { isId, type IdKind } from "@/lib/shared/ids";

/** The id each dynamic segment of a route handler's path names (`[credentialId]`, …). */
const ROUTE_PARAM_KINDS = {
  tenantId: "tenant",
  credentialId: "credential",
  integrationId: "integration",
  membershipId: "membership",
} as const satisfies Record<string, IdKind>;

export type RouteParams = Partial<Record<keyof typeof ROUTE_PARAM_KINDS, string>>;

/**
 * Path ids are checked against their id format before any query: a value that is not an id
 * of its kind (`%00`, a megabyte, `..`) names nothing, so it is "not found", as a missing or
 * another tenant's row is (docs/decisions/0001).
 */
export function checkRouteParams(params: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(params)) {
    const kind = (ROUTE_PARAM_KINDS as Record<string, IdKind | undefined>)[name];
    // A route with a segment not listed here is a mistake in this code base: a 500 in its tests.
    if (!kind) throw new Error(`route parameter "${name}" has no id kind in ROUTE_PARAM_KINDS`);
    if (value === undefined || !isId(kind, value)) throw notFound();
  }
}
