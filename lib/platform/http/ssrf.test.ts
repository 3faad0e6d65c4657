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
});
