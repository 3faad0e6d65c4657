import ipaddr from "ipaddr.js";

// IP allow-lists (API keys): IPv4 and IPv6 networks in CIDR notation; a bare address is its own
// /32 or /128. Stored in one canonical spelling, compared in ipaddr.js's.

/** The network in its canonical spelling (`10.1.0.0/16`, `2001:db8::/32`), or null. */
export function canonicalCidr(text: string): string | null {
  const value = text.trim();
  try {
    if (value.includes("/")) {
      const [written = "", length = ""] = value.split("/");
      // Four-part decimal only: ipaddr.js would also read `10.0.0/8` or `2130706433`.
      const shaped = ipaddr.IPv4.isValidFourPartDecimal(written) || ipaddr.IPv6.isValid(written);
      if (!shaped || !/^\d{1,3}$/.test(length)) return null;
      const [address, bits] = ipaddr.parseCIDR(value);
      // The network address itself: 10.1.2.3/16 is written 10.1.0.0/16.
      const network =
        address.kind() === "ipv4"
          ? ipaddr.IPv4.networkAddressFromCIDR(value)
          : ipaddr.IPv6.networkAddressFromCIDR(value);
      return `${network.toString()}/${bits}`;
    }
    // Four-part decimal only: ipaddr.js would also read `2130706433` as an address.
    if (ipaddr.IPv4.isValidFourPartDecimal(value)) return `${ipaddr.parse(value).toString()}/32`;
    if (ipaddr.IPv6.isValid(value)) return `${ipaddr.parse(value).toString()}/128`;
  } catch {
    // not a network
  }
  return null;
}

/** Networks from text (commas, spaces or new lines between them): the canonical list, or the first bad entry. */
export function parseCidrList(
  text: string,
): { ok: true; cidrs: string[] } | { ok: false; bad: string } {
  const cidrs: string[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const cidr = canonicalCidr(entry);
    if (!cidr) return { ok: false, bad: entry.slice(0, 60) };
    if (!cidrs.includes(cidr)) cidrs.push(cidr);
  }
  return { ok: true, cidrs };
}

/**
 * Whether `address` lies in one of `cidrs`. An empty list allows every address; an unknown
 * address (null) is in no network. IPv4-mapped IPv6 addresses count as IPv4.
 */
export function addressAllowed(cidrs: readonly string[], address: string | null): boolean {
  if (cidrs.length === 0) return true;
  if (!address || !ipaddr.isValid(address)) return false;
  const ip = ipaddr.process(address);
  return cidrs.some((cidr) => {
    try {
      const [network, bits] = ipaddr.parseCIDR(cidr);
      return network.kind() === ip.kind() && ip.match([network, bits]);
    } catch {
      return false;
    }
  });
}
