import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientAddress,
  fromTrustedProxy,
  PEER_HEADER,
  servedOverHttps,
  stampFor,
  stampPeerAddresses,
} from "./client-address";
import { requestMetaFrom } from "./request-meta";

// Real HTTP requests to a real node:http server, as Next.js receives them: the server answers
// with what the app would record for the caller.
let server: http.Server;
let port = 0;
let trustedProxies = "";

beforeAll(async () => {
  stampPeerAddresses();
  server = http.createServer((req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    res.end(
      JSON.stringify({
        ip: clientAddress(headers, trustedProxies),
        meta: requestMetaFrom(headers).ip,
        trustedPeer: fromTrustedProxy(headers, trustedProxies),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function ask(headers: Record<string, string>, trust = "") {
  trustedProxies = trust;
  const res = await fetch(`http://127.0.0.1:${port}/`, { headers });
  return (await res.json()) as { ip: string | null; meta: string | null; trustedPeer: boolean };
}

describe("the client address (no trusted proxy in front)", () => {
  it("is the socket's address, whatever X-Forwarded-For says", async () => {
    expect(await ask({ "x-forwarded-for": "6.6.6.6" })).toEqual({
      ip: "127.0.0.1",
      meta: "127.0.0.1",
      trustedPeer: false,
    });
  });
  it("cannot be set by a client writing the peer header itself", async () => {
    const answer = await ask({ [PEER_HEADER]: "6.6.6.6", "x-forwarded-for": "6.6.6.6" });
    expect(answer.ip).toBe("127.0.0.1");
    expect(answer.meta).toBe("127.0.0.1");
  });
  it("is unknown for a peer header the server did not stamp (a request parsed before start-up)", () => {
    // What a client-written header looks like when it reaches the app unstamped.
    const unstamped = new Headers({ [PEER_HEADER]: "10.0.0.1", "x-forwarded-for": "6.6.6.6" });
    expect(clientAddress(unstamped, "10.0.0.0/8")).toBeNull();
    expect(fromTrustedProxy(unstamped, "10.0.0.0/8")).toBe(false);
    const guessed = new Headers({ [PEER_HEADER]: `${"0".repeat(32)} 10.0.0.1` });
    expect(clientAddress(guessed, "10.0.0.0/8")).toBeNull();
  });
  it("is the socket's address when nothing is forwarded", async () => {
    expect((await ask({})).meta).toBe("127.0.0.1");
  });
});

describe("the client address behind a trusted proxy", () => {
  it("is the address the proxy appended", async () => {
    const answer = await ask({ "x-forwarded-for": "203.0.113.9" }, "loopback");
    expect(answer).toMatchObject({ ip: "203.0.113.9", trustedPeer: true });
  });
  it("stops at the first hop the proxies did not add: a client's own X-Forwarded-For is not believed", async () => {
    // The client wrote 6.6.6.6; the trusted proxy appended the address it saw, 203.0.113.9.
    const answer = await ask({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }, "127.0.0.1");
    expect(answer.ip).toBe("203.0.113.9");
  });
  it("walks through several trusted proxies (CIDRs)", async () => {
    const answer = await ask(
      { "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.1.2.3" },
      "127.0.0.1, 10.0.0.0/8",
    );
    expect(answer.ip).toBe("198.51.100.4");
  });
  it("keeps the proxy's address when the hop it forwarded is not an IP address", async () => {
    expect((await ask({ "x-forwarded-for": "not-an-ip" }, "loopback")).ip).toBe("127.0.0.1");
    expect((await ask({ "x-forwarded-for": "2130706433" }, "loopback")).ip).toBe("127.0.0.1");
  });
});

describe("whether browsers reach us over https", () => {
  const forwardedHttps = (peer: string) =>
    new Headers({ "x-forwarded-proto": "https", [PEER_HEADER]: stampFor(peer) });
  it("follows PUBLIC_BASE_URL when it is set", () => {
    expect(servedOverHttps(null, "https://console.example.com", "")).toBe(true);
    expect(servedOverHttps(forwardedHttps("10.0.0.1"), "http://localhost:3000", "10.0.0.0/8")).toBe(
      false,
    );
  });
  it("otherwise believes X-Forwarded-Proto only from a trusted proxy", () => {
    expect(servedOverHttps(forwardedHttps("10.0.0.1"), undefined, "10.0.0.0/8")).toBe(true);
    expect(servedOverHttps(forwardedHttps("203.0.113.9"), undefined, "10.0.0.0/8")).toBe(false);
    expect(servedOverHttps(null, undefined, "10.0.0.0/8")).toBe(false);
  });
});
