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
  const pathAndQuery = url.pathname + url.search;
  const base = config.publicBaseUrl;
  if (base) return base.replace(/\/+$/, "") + pathAndQuery;
  const proto = trustedForwarded(headers, "x-forwarded-proto", config.trustedProxies);
  const host = trustedForwarded(headers, "x-forwarded-host", config.trustedProxies);
  if (proto && host) {
    return `${proto}://${host}${pathAndQuery}`;
  }
  const hostHeader = headers.get("host");
  return `${url.protocol}//${hostHeader ?? url.host}${pathAndQuery}`;
}
