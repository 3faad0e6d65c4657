import "server-only";
import { env } from "@/lib/platform/config/env";
import { trustedForwarded } from "@/lib/platform/http/client-address";

// The URL Twilio signed is the public one it called. It comes from PUBLIC_BASE_URL when set;
// otherwise from X-Forwarded-Proto/X-Forwarded-Host, but only when the request arrived from a
// configured trusted proxy; otherwise from the request itself. Path and query are kept as sent.

export type UrlConfig = { publicBaseUrl?: string | undefined; trustedProxies: string };
const fromEnv = (): UrlConfig => ({
  publicBaseUrl: env().PUBLIC_BASE_URL,
  trustedProxies: env().TRUSTED_PROXIES,
});

export function publicUrl(
  requestUrl: string,
  headers: Headers,
  config: UrlConfig = fromEnv(),
): string {
  const url = new URL(requestUrl);
  return publicOrigin(headers, config, url) + url.pathname + url.search;
}

/**
 * The origin Twilio is told to call (and that signatures are checked against): PUBLIC_BASE_URL,
 * else a trusted proxy's X-Forwarded-Proto/Host, else the request's own Host.
 */
export function publicOrigin(
  headers: Headers,
  config: UrlConfig = fromEnv(),
  requestUrl?: URL,
): string {
  const base = config.publicBaseUrl;
  if (base) return base.replace(/\/+$/, "");
  const proto = trustedForwarded(headers, "x-forwarded-proto", config.trustedProxies);
  const host = trustedForwarded(headers, "x-forwarded-host", config.trustedProxies);
  if (proto && host) return `${proto}://${host}`;
  const protocol = requestUrl?.protocol ?? "http:";
  return `${protocol}//${headers.get("host") ?? requestUrl?.host ?? "localhost"}`;
}
