// ANY /api/v2/… that no route serves – 404 not_found as problem details, with X-Request-Id
import { noSuchRoute } from "@/lib/platform/http/no-such-route";

export const GET = noSuchRoute;
export const POST = noSuchRoute;
export const PUT = noSuchRoute;
export const PATCH = noSuchRoute;
export const DELETE = noSuchRoute;
