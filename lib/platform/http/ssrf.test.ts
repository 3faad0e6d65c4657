import { describe, expect, it } from "vitest";
import { forwardUrlProblem, isPrivateAddress } from "./ssrf";

describe("forward URL SSRF guard", () => {
  it("requires https; http only to localhost in development", () => {
    expect(forwardUrlProblem("https://hooks.example.com/in", "production")).toBeNull();
    expect(forwardUrlProblem("http://hooks.example.com/in", "production")).toMatch(/https/);
    expect(forwardUrlProblem("http://localhost:8080/in", "production")).toMatch(/https/);
    expect(forwardUrlProblem("http://localhost:8080/in", "development")).toBeNull();
    expect(forwardUrlProblem("http://hooks.example.com/in", "development")).toMatch(/https/);
    expect(forwardUrlProblem("ftp://x.example.com", "production")).toMatch(/https/);
    expect(forwardUrlProblem("https://user:pw@x.example.com", "production")).toMatch(/credentials/);
  });
  it("refuses private, loopback and link-local addresses in production", () => {
    for (const u of [
      "https://127.0.0.1/x",
      "https://10.1.2.3/x",
      "https://192.168.0.10/x",
      "https://172.20.0.1/x",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/x",
      "https://[fe80::1]/x",
      "https://localhost/x",
    ]) {
      expect(forwardUrlProblem(u, "production"), u).not.toBeNull();
    }
    expect(isPrivateAddress("::ffff:10.0.0.1")).toBe(true);
    expect(isPrivateAddress("100.64.1.1")).toBe(true);
    expect(isPrivateAddress("93.184.216.34")).toBe(false);
    expect(isPrivateAddress("2606:2800:220:1::1")).toBe(false);
  });

  it("refuses IPv6 spellings of private IPv4 addresses and other non-global ranges (#14)", () => {
    for (const host of [
      "[::7f00:1]", // IPv4-compatible 127.0.0.1
      "[::127.0.0.1]",
      "[::ffff:7f00:1]", // IPv4-mapped, hex
      "[64:ff9b::a9fe:a9fe]", // NAT64 of 169.254.169.254 (cloud metadata)
      "[2002:7f00:1::]", // 6to4 of 127.0.0.1
      "[2001:0:4136:e378:8000:63bf:3fff:fdd2]", // Teredo
      "[fec0::1]", // site-local (deprecated)
      "[fd00::1]", // unique local
      "[2001:db8::1]", // documentation
      "0.0.0.0",
      "255.255.255.255",
      "192.0.2.1", // TEST-NET
    ]) {
      expect(forwardUrlProblem(`https://${host}/x`, "production"), host).toMatch(/private/);
    }
    for (const address of [
      "::7f00:1",
      "64:ff9b::a9fe:a9fe",
      "2002:a00:1::",
      "fec0::1",
      "not-an-ip",
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    expect(isPrivateAddress("2606:4700::1111")).toBe(false);
    expect(isPrivateAddress("1.1.1.1")).toBe(false);
  });
});
