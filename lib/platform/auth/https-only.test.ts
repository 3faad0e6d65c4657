// Served over https (PUBLIC_BASE_URL is https): the session cookies are Secure and pages carry
// HSTS, even though the request reached the server over plain http from a TLS proxy.
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";

process.env.PUBLIC_BASE_URL = "https://console.example.com";
process.env.AUTH_SECRET = "x".repeat(40);

describe("a console served over https", () => {
  it("sets Auth.js cookies Secure with the __Host-/__Secure- prefixes", async () => {
    const { handlers } = await import("./auth");
    const response = await handlers.GET(new NextRequest("http://10.0.0.5:3000/api/auth/csrf"));
    const cookies = response.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/^__(Host|Secure)-authjs\./);
      expect(cookie).toMatch(/;\s*Secure/i);
    }
  });
  it("sends Strict-Transport-Security on pages", async () => {
    const { proxy } = await import("@/proxy");
    const response = proxy(new NextRequest("http://10.0.0.5:3000/sign-in"));
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age=\d{7,}/);
  });
});
