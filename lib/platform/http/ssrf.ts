import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { Agent } from "undici";
import { env } from "@/lib/platform/config/env";
import { AppError } from "@/lib/platform/errors/app-error";

// SSRF guard for forward URLs: https only (http only to localhost, and only in development
// mode); in production, IP literals and names that resolve to anything but a global unicast
// address are refused. The check runs inside the connection's own DNS
// lookup, so the address that is checked is the address that is connected to (no rebinding).
// Redirects are never followed (the caller uses redirect: "manual").

/**
 * True unless `address` is a global unicast address (ipaddr.js ranges, as Express's
 * proxy-addr uses). IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d is judged by
 * its IPv4 address; IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16 and Teredo
 * are refused outright) cannot smuggle a private IPv4 target past the check. Anything that does
 * not parse is refused.
 */
export function isPrivateAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  let ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6") {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) ip = v6.toIPv4Address();
    else if (
      v6
        .toByteArray()
        .slice(0, 12)
        .every((b) => b === 0)
    )
      return true;
  }
  return ip.range() !== "unicast";
}

export type DeploymentMode = "development" | "production";
export const deploymentMode = (): DeploymentMode =>
  env().PQSEAL_DEPLOYMENT_MODE ?? (env().NODE_ENV === "development" ? "development" : "production");

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Why a forward URL is refused, or null when it may be used. */
export function forwardUrlProblem(raw: string, mode: DeploymentMode = deploymentMode()) {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "is not a URL";
  }
  if (url.username || url.password) return "must not carry credentials";
  if (url.protocol === "http:") {
    return mode === "development" && LOCAL_HOSTS.has(url.hostname)
      ? null
      : "must use https (http only to localhost in development mode)";
  }
  if (url.protocol !== "https:") return "must use https";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (
    mode === "production" &&
    (LOCAL_HOSTS.has(url.hostname) || (isIP(host) && isPrivateAddress(host)))
  ) {
    return "points at a private or loopback address";
  }
  return null;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A DNS lookup that refuses a name resolving to any private or loopback address, checked in the
 * connection's own lookup (no rebinding between check and connect). Used by undici's forwarding
 * agent and by node:https agents (the AWS SDK's, for audit streams to S3).
 */
export function guardedLookup(hostname: string, options: object, callback: LookupCallback) {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const list = addresses;
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad) {
      const error: NodeJS.ErrnoException = new Error(
        `refused: ${hostname} resolves to a private address`,
      );
      error.code = "EPRIVATEADDRESS";
      return callback(error, []);
    }
    const all = (options as { all?: boolean }).all;
    if (all) return callback(null, list);
    const first = list[0];
    return callback(null, first?.address ?? "", first?.family);
  });
}

let productionAgent: Agent | undefined;
let developmentAgent: Agent | undefined;

/** The undici dispatcher for forward deliveries in this deployment mode. */
export function forwardDispatcher(mode: DeploymentMode = deploymentMode()): Agent {
  if (mode === "development") return (developmentAgent ??= new Agent({ connections: 16 }));
  return (productionAgent ??= new Agent({
    connections: 16,
    connect: { lookup: guardedLookup },
  }));
}

/** Refuses (400, as a field error of `field`) a forward URL the SSRF rules do not allow. */
export function assertForwardUrl(url: string | null | undefined, field: string): void {
  const problem = url ? forwardUrlProblem(url) : null;
  if (problem) {
    throw new AppError("invalid_input", `${field} ${problem}.`, {
      fieldErrors: { [field]: [`The forward URL ${problem}.`] },
    });
  }
}
