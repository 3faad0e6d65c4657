import "server-only";
import { randomBytes } from "node:crypto";
import dc from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import ipaddr from "ipaddr.js";
import proxyaddr from "proxy-addr";
import { commaList, env } from "@/lib/platform/config/env";

// Who connected to us, and which forwarded headers to believe. Next.js sets X-Forwarded-For only
// when a request has none, so a client that writes `X-Forwarded-For: 6.6.6.6` would otherwise
// choose its own address. The TCP peer is therefore stamped onto every request by the server
// process itself (PEER_HEADER, overwriting whatever a client sent), and forwarded headers are
// believed only hop by hop from configured trusted proxies, as Express's `trust proxy` does
// (proxy-addr semantics). See the README's security section and docs/decisions/0008.

/** Carries the TCP peer's address from the HTTP server to the handlers. Never read from clients. */
export const PEER_HEADER = "x-pqseal-peer";
const REQUEST_START = "http.server.request.start";

const STAMPING = Symbol.for("pqseal.peerStamping");
type Stamping = typeof globalThis & { [STAMPING]?: { channel: dc.Channel; nonce: string } };

/**
 * Stamp every request this process's HTTP servers receive with its socket's address. Node
 * publishes `http.server.request.start` before the request reaches Next.js, so the stamp is in
 * place for proxy.ts, route handlers and server actions alike. Called once at start-up.
 */
export function stampPeerAddresses(): void {
  const g = globalThis as Stamping;
  if (g[STAMPING]) return;
  // Requests parsed before this subscription (the server listens before start-up finishes)
  // keep whatever a client wrote in the header: the stamp carries a secret of this process, so
  // such a value is never taken for a stamp.
  const nonce = randomBytes(16).toString("hex");
  const channel = dc.channel(REQUEST_START);
  channel.subscribe((message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_HEADER] = `${nonce} ${socket.remoteAddress ?? ""}`;
  });
  g[STAMPING] = { channel, nonce }; // held here so the subscription lives as long as the process
}

/** The stamped TCP peer, or null when this process does not stamp (a request without a socket). */
function peerAddress(headers: Headers): string | null {
  const stamping = (globalThis as Stamping)[STAMPING];
  const [nonce, address] = headers.get(PEER_HEADER)?.split(" ", 2) ?? [];
  if (!stamping || nonce !== stamping.nonce) return null;
  return canonicalIp(address);
}

/** The header value the server would stamp for `address` (tests of code that reads it). */
export function stampFor(address: string): string {
  const stamping = (globalThis as Stamping)[STAMPING];
  if (!stamping) throw new Error("stampPeerAddresses() has not run");
  return `${stamping.nonce} ${address}`;
}

type Trust = (addr: string, hop: number) => boolean;
let compiled: { spec: string; trust: Trust } | undefined;

function trustFor(spec: string): Trust {
  if (compiled?.spec !== spec) compiled = { spec, trust: proxyaddr.compile(commaList(spec)) };
  return compiled.trust;
}

/** An IP address in one spelling (IPv4-mapped IPv6 as IPv4), or null when it is not one. */
function canonicalIp(value: string | null | undefined): string | null {
  if (!value) return null;
  // Four-part decimal only: ipaddr.js would also read `2130706433` or `0x7f.1` as addresses.
  const ok = ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value);
  return ok ? ipaddr.process(value).toString() : null;
}

/**
 * The client's address: the peer, unless the peer is a trusted proxy; then, walking
 * X-Forwarded-For from the right, the first address not added by a trusted proxy.
 */
export function clientAddress(
  headers: Headers,
  trustedProxies = env().TRUSTED_PROXIES,
): string | null {
  const peer = peerAddress(headers);
  if (!peer) return null;
  const forwardedFor = headers.get("x-forwarded-for");
  const request = {
    socket: { remoteAddress: peer },
    headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
  } as unknown as IncomingMessage;
  // [peer, trusted hops…, client]; a hop that is not an address ends the walk, and then the
  // last real address (a trusted proxy's) is the best we know.
  const chain = proxyaddr.all(request, trustFor(trustedProxies));
  for (let i = chain.length - 1; i >= 0; i--) {
    const ip = canonicalIp(chain[i]);
    if (ip) return ip;
  }
  return peer;
}

/** Whether the peer is a trusted proxy, whose X-Forwarded-Proto/Host may be believed. */
export function fromTrustedProxy(
  headers: Headers,
  trustedProxies = env().TRUSTED_PROXIES,
): boolean {
  const peer = peerAddress(headers);
  return peer !== null && trustFor(trustedProxies)(peer, 0);
}

/** The first value of a forwarded header set by a trusted proxy, or null. */
export function trustedForwarded(
  headers: Headers,
  name: "x-forwarded-proto" | "x-forwarded-host",
  trustedProxies = env().TRUSTED_PROXIES,
): string | null {
  if (!fromTrustedProxy(headers, trustedProxies)) return null;
  return headers.get(name)?.split(",")[0]?.trim() || null;
}

/** True when browsers reach us over https: PUBLIC_BASE_URL says so, or a trusted proxy does. */
export function servedOverHttps(
  headers: Headers | null,
  publicBaseUrl = env().PUBLIC_BASE_URL,
  trustedProxies = env().TRUSTED_PROXIES,
): boolean {
  if (publicBaseUrl) return publicBaseUrl.startsWith("https:");
  return (
    headers !== null && trustedForwarded(headers, "x-forwarded-proto", trustedProxies) === "https"
  );
}
