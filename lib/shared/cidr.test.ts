import { describe, expect, it } from "vitest";
import { addressAllowed, canonicalCidr, parseCidrList } from "./cidr";

describe("CIDR allow-lists", () => {
  it("reads networks and bare addresses in one canonical spelling", () => {
    expect(canonicalCidr("10.1.2.3/16")).toBe("10.1.0.0/16");
    expect(canonicalCidr(" 203.0.113.7 ")).toBe("203.0.113.7/32");
    expect(canonicalCidr("2001:DB8::1/32")).toBe("2001:db8::/32");
    expect(canonicalCidr("::1")).toBe("::1/128");
    for (const bad of ["", "10.0.0.0/33", "2130706433", "example.com", "10.0.0/8", "1.2.3.4/-1"]) {
      expect(canonicalCidr(bad), bad).toBeNull();
    }
  });

  it("parses a list, dropping repeats, or names the first bad entry", () => {
    expect(parseCidrList("10.0.0.0/8, 10.0.0.0/8\n192.0.2.1")).toEqual({
      ok: true,
      cidrs: ["10.0.0.0/8", "192.0.2.1/32"],
    });
    expect(parseCidrList("10.0.0.0/8 nope")).toEqual({ ok: false, bad: "nope" });
    expect(parseCidrList("  ")).toEqual({ ok: true, cidrs: [] });
  });

  it("allows an address only inside a listed network; empty allows all, unknown none", () => {
    const cidrs = ["203.0.113.0/24", "2001:db8::/32"];
    expect(addressAllowed(cidrs, "203.0.113.200")).toBe(true);
    expect(addressAllowed(cidrs, "::ffff:203.0.113.9")).toBe(true);
    expect(addressAllowed(cidrs, "2001:db8:1::5")).toBe(true);
    expect(addressAllowed(cidrs, "198.51.100.1")).toBe(false);
    expect(addressAllowed(cidrs, "2001:db9::1")).toBe(false);
    expect(addressAllowed(cidrs, null)).toBe(false);
    expect(addressAllowed(cidrs, "not an address")).toBe(false);
    expect(addressAllowed([], null)).toBe(true);
  });
});
