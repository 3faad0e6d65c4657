// proxy.ts hands pages, server actions and Auth.js only the forwarding headers PQSeal believes.
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { PEER_HEADER, stampFor, stampPeerAddresses } from "./client-address";

process.env.TRUSTED_PROXIES = "10.0.0.0/8";
delete process.env.PUBLIC_BASE_URL;
stampPeerAddresses();

async function forwarded(peer: string, headers: Record<string, string>) {
  const { proxy } = await import("@/proxy");
  const response = proxy(
    new NextRequest("http://console.example.com/sign-in", {
      headers: { host: "console.example.com", [PEER_HEADER]: stampFor(peer), ...headers },
    }),
  );
  // What the next handler receives (Next.js's request-override protocol).
  const seen = (name: string) => response.headers.get(`x-middleware-request-${name}`);
  return {
    host: seen("x-forwarded-host"),
    proto: seen("x-forwarded-proto"),
    for: seen("x-forwarded-for"),
    hsts: response.headers.get("strict-transport-security"),
  };
}

const spoofed = {
  "x-forwarded-host": "evil.example.com",
  "x-forwarded-proto": "https",
  "x-forwarded-for": "6.6.6.6",
};

describe("forwarding headers behind proxy.ts", () => {
  it("replaces a direct client's X-Forwarded-* with what the connection says", async () => {
    expect(await forwarded("203.0.113.9", spoofed)).toEqual({
      host: "console.example.com",
      proto: "http",
      for: "203.0.113.9",
      hsts: null,
    });
  });
  it("keeps what a trusted proxy forwarded", async () => {
    const viaProxy = { ...spoofed, "x-forwarded-host": "console.example.com" };
    expect(await forwarded("10.0.0.1", { ...viaProxy, "x-forwarded-for": "198.51.100.4" })).toEqual(
      {
        host: "console.example.com",
        proto: "https",
        for: "198.51.100.4",
        hsts: expect.stringMatching(/max-age=/) as unknown,
      },
    );
  });
});
