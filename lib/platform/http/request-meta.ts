import "server-only";
import { headers } from "next/headers";
import { newId } from "@/lib/shared/ids";
import { clientAddress } from "./client-address";

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const NO_REQUEST: RequestMeta = { ip: null, userAgent: null, requestId: null };

/**
 * A request id a caller may choose (X-Request-Id), to find its request in our logs and audit
 * events: 1-64 characters of letters, digits and . _ -, with at least one letter, so it can never
 * read as a phone number (which the audit log does not store in the clear).
 */
const CALLER_REQUEST_ID = /^(?=[^A-Za-z]*[A-Za-z])[A-Za-z0-9._-]{1,64}$/;

/** The X-Request-Id a caller sent, if it is a valid one (else null: never stored or echoed). */
export function validRequestId(value: string | null | undefined): string | null {
  return value && CALLER_REQUEST_ID.test(value) ? value : null;
}

/** This request's id: the caller's valid X-Request-Id, else a new one (`req_…`). */
export function requestIdFrom(h: Headers): string {
  return validRequestId(h.get("x-request-id")) ?? newId("request");
}

/**
 * Who is asking, read once per request. The client address is the TCP peer's, or the one a
 * trusted proxy forwarded (client-address.ts); nothing a client writes in a header alone.
 */
export function requestMetaFrom(h: Headers): RequestMeta {
  return {
    ip: clientAddress(h),
    userAgent: h.get("user-agent")?.slice(0, 512) || null,
    requestId: validRequestId(h.get("x-request-id")),
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
