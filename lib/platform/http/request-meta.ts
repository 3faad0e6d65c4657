import "server-only";
import { headers } from "next/headers";

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const NO_REQUEST: RequestMeta = { ip: null, userAgent: null, requestId: null };

/**
 * Who is asking, read once per request. The client address is the last X-Forwarded-For hop:
 * the one added by the server nearest to us (Next.js itself when nothing is in front).
 */
export function requestMetaFrom(h: Headers): RequestMeta {
  const forwarded = h.get("x-forwarded-for");
  const ip = forwarded?.split(",").at(-1)?.trim() || h.get("x-real-ip") || null;
  return {
    ip: ip ? ip.slice(0, 64) : null,
    userAgent: h.get("user-agent")?.slice(0, 512) || null,
    requestId: h.get("x-request-id")?.slice(0, 64) || null,
  };
}

/** The current request's meta, or empty when called outside a request (jobs, tests). */
export async function currentRequestMeta(): Promise<RequestMeta> {
  try {
    return requestMetaFrom(await headers());
  } catch {
    return NO_REQUEST;
  }
}
