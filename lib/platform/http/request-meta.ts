import "server-only";
import { headers } from "next/headers";
import { clientAddress } from "./client-address";

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const NO_REQUEST: RequestMeta = { ip: null, userAgent: null, requestId: null };

/**
 * Who is asking, read once per request. The client address is the TCP peer's, or the one a
 * trusted proxy forwarded (client-address.ts); nothing a client writes in a header alone.
 */
export function requestMetaFrom(h: Headers): RequestMeta {
  return {
    ip: clientAddress(h),
    userAgent: h.get("user-agent")?.slice(0, 512) || null,
    requestId: h.get("x-request-id")?.slice(0, 64) || null,
  };
}

/** The current request's headers, or null when called outside a request (jobs, tests). */
export async function currentHeaders(): Promise<Headers | null> {
  try {
    return await headers();
  } catch {
    return null;
  }
}

/** The current request's meta, or empty when called outside a request (jobs, tests). */
export async function currentRequestMeta(): Promise<RequestMeta> {
  const h = await currentHeaders();
  return h ? requestMetaFrom(h) : NO_REQUEST;
}
