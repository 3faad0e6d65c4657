import { NextResponse, type NextRequest } from "next/server";
import {
  clientAddress,
  servedOverHttps,
  trustedForwarded,
} from "@/lib/platform/http/client-address";

// Browsers that reached us over https keep doing so for a year (RFC 6797); over plain http the
// header would be ignored anyway, and on a local http console it would only get in the way.
const HSTS = "max-age=31536000; includeSubDomains";

// Content-Security-Policy with a per-request nonce: Next.js reads the nonce from the request's
// CSP header and puts it on the scripts it renders, so no inline script runs without it.
export function proxy(request: NextRequest): NextResponse {
  const nonce = btoa(crypto.randomUUID());
  const dev = process.env.NODE_ENV === "development";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  // Pages, server actions and Auth.js (which builds its URLs from these headers) see only what
  // is believed: a client's own X-Forwarded-* are replaced (client-address.ts).
  believedForwarding(request.headers, requestHeaders);
  // One id per request, for logs and audit events (never trusted from the client).
  const requestId = `req_${crypto.randomUUID().replaceAll("-", "")}`;
  requestHeaders.set("x-request-id", requestId);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("x-request-id", requestId);
  if (servedOverHttps(request.headers)) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

function believedForwarding(incoming: Headers, outgoing: Headers): void {
  outgoing.set("x-forwarded-proto", servedOverHttps(incoming) ? "https" : "http");
  const host = trustedForwarded(incoming, "x-forwarded-host") ?? incoming.get("host");
  if (host) outgoing.set("x-forwarded-host", host);
  else outgoing.delete("x-forwarded-host");
  const client = clientAddress(incoming);
  if (client) outgoing.set("x-forwarded-for", client);
  else outgoing.delete("x-forwarded-for");
}

export const config = {
  // Machine-client routes (/api/v2) serve JSON, not pages: no CSP nonce needed, and skipping
  // this step saves CPU on the proxy's hot path. They set their own request id (withApiKey).
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|api/v2/).*)" }],
};
