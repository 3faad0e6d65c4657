import "server-only";
import { BlockList, isIP } from "node:net";
import { env } from "@/lib/platform/config/env";

// The URL Twilio signed is the public one it called. It comes from PUBLIC_BASE_URL when set;
// otherwise from X-Forwarded-Proto/X-Forwarded-Host, but only when the request arrived from a
// configured trusted proxy; otherwise from the request itself. Path and query are kept as sent.

export type UrlConfig = { publicBaseUrl?: string | undefined; trustedProxies: string };
const fromEnv = (): UrlConfig => ({
  publicBaseUrl: env().PUBLIC_BASE_URL,
  trustedProxies: env().TRUSTED_PROXIES,
});

let trusted: { spec: string; list: BlockList } | undefined;
function trustedProxies(spec: string): BlockList {
  if (trusted?.spec === spec) return trusted.list;
  const list = new BlockList();
  for (const entry of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address = "", prefix] = entry.split("/");
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix) list.addSubnet(address, Number(prefix), type);
    else list.addAddress(address, type);
  }
  trusted = { spec, list };
  return list;
}

/** The peer that connected to us: Next.js appends the socket address to X-Forwarded-For. */
function peerAddress(headers: Headers): string | null {
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((h) => h.trim());
  const last = hops.at(-1);
  if (!last) return null;
  return last.startsWith("::ffff:") ? last.slice(7) : last;
}

function isTrustedPeer(peer: string | null, config: UrlConfig = fromEnv()): boolean {
  if (!peer || !isIP(peer)) return false;
  return trustedProxies(config.trustedProxies).check(peer, isIP(peer) === 6 ? "ipv6" : "ipv4");
}

export function publicUrl(
  requestUrl: string,
  headers: Headers,
  config: UrlConfig = fromEnv(),
): string {
  const url = new URL(requestUrl);
  const pathAndQuery = url.pathname + url.search;
  const base = config.publicBaseUrl;
  if (base) return base.replace(/\/+$/, "") + pathAndQuery;
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  if (proto && host && isTrustedPeer(peerAddress(headers), config)) {
    return `${proto}://${host}${pathAndQuery}`;
  }
  const hostHeader = headers.get("host");
  return `${url.protocol}//${hostHeader ?? url.host}${pathAndQuery}`;
}
