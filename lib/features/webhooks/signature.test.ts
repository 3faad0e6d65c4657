import { createHash } from "node:crypto";
import twilio from "twilio";
import { describe, expect, it } from "vitest";
import { PEER_HEADER, stampFor, stampPeerAddresses } from "@/lib/platform/http/client-address";
import { publicUrl } from "./public-url";
import { signatureValid, type SignedRequest } from "./signature";

const TOKEN = "12345";
const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
const DOC_PARAMS = {
  CallSid: "CA1234567890ABCDE",
  Caller: "+14158675310",
  Digits: "1234",
  From: "+14158675310",
  To: "+18005551212",
};

function request(over: Partial<SignedRequest> = {}): SignedRequest {
  const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  return {
    method: "POST",
    url,
    contentType: "application/x-www-form-urlencoded",
    rawBody: form(DOC_PARAMS),
    signature: twilio.getExpectedTwilioSignature(TOKEN, url, DOC_PARAMS),
    ...over,
  };
}

describe("X-Twilio-Signature", () => {
  it("accepts Twilio's documented example", () => {
    expect(signatureValid(TOKEN, request({ signature: "GvWf1cFY/Q7PnoempGyD5oXAezc=" }))).toBe(
      true,
    );
    expect(request().signature).toBe("GvWf1cFY/Q7PnoempGyD5oXAezc=");
  });

  it("refuses a missing or wrong signature, and the wrong secret", () => {
    expect(signatureValid(TOKEN, request({ signature: null }))).toBe(false);
    expect(signatureValid(TOKEN, request({ signature: "GvWf1cFY/Q7PnoempGyD5oXAezd=" }))).toBe(
      false,
    );
    expect(signatureValid("54321", request())).toBe(false);
  });

  // The SDK checks the URL both with and without its port (Twilio may sign either form), so a
  // port difference alone is accepted; everything else in the URL must match.
  it("refuses a URL that differs by scheme, host, trailing slash or query; accepts the default port", () => {
    const signed = request();
    for (const url of [
      "http://mycompany.com/myapp.php?foo=1&bar=2",
      "https://evil.com/myapp.php?foo=1&bar=2",
      "https://mycompany.com/myapp.php/?foo=1&bar=2",
      "https://mycompany.com/myapp.php?foo=1&bar=3",
      "https://mycompany.com/myapp.php?foo=1",
    ]) {
      expect(signatureValid(TOKEN, { ...signed, url }), url).toBe(false);
    }
    expect(
      signatureValid(TOKEN, { ...signed, url: "https://mycompany.com:443/myapp.php?foo=1&bar=2" }),
    ).toBe(true);
  });

  it("refuses a changed parameter and keeps the raw body", () => {
    expect(
      signatureValid(TOKEN, request({ rawBody: form({ ...DOC_PARAMS, Digits: "1235" }) })),
    ).toBe(false);
    expect(signatureValid(TOKEN, request({ rawBody: `${form(DOC_PARAMS)}&Extra=1` }))).toBe(false);
  });

  it("checks JSON bodies with bodySHA256", () => {
    const body = JSON.stringify({ type: "com.twilio.verify.verification.approved", sid: "VE1" });
    const sha = (b: string) => createHash("sha256").update(b).digest("hex");
    const url = `https://mycompany.com/hooks?bodySHA256=${sha(body)}`;
    const signature = twilio.getExpectedTwilioSignature(TOKEN, url, {});
    const json = { method: "POST", url, contentType: "application/json", rawBody: body, signature };
    expect(signatureValid(TOKEN, json)).toBe(true);
    expect(signatureValid(TOKEN, { ...json, rawBody: body.replace("VE1", "VE2") })).toBe(false);
    expect(signatureValid(TOKEN, { ...json, rawBody: `${body} ` })).toBe(false);
    const noHash = "https://mycompany.com/hooks";
    expect(
      signatureValid(TOKEN, {
        ...json,
        url: noHash,
        signature: twilio.getExpectedTwilioSignature(TOKEN, noHash, {}),
      }),
    ).toBe(false);
  });

  it("validates GET requests over the URL and its query", () => {
    const url = "https://mycompany.com/hook?MessageSid=SM1&MessageStatus=delivered";
    const signature = twilio.getExpectedTwilioSignature(TOKEN, url, {});
    const get = { method: "GET", url, contentType: "", rawBody: "", signature };
    expect(signatureValid(TOKEN, get)).toBe(true);
    expect(signatureValid(TOKEN, { ...get, url: url.replace("delivered", "failed") })).toBe(false);
  });
});

describe("the public URL a signature is checked against", () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  const internal = "http://10.0.0.5:3000/api/v2/webhooks/twilio/int_1/sms?x=1";
  it("uses PUBLIC_BASE_URL with the path and query as sent", () => {
    expect(
      publicUrl(internal, headers({}), {
        publicBaseUrl: "https://pqseal.example.com/",
        trustedProxies: "",
      }),
    ).toBe("https://pqseal.example.com/api/v2/webhooks/twilio/int_1/sms?x=1");
  });
  it("believes X-Forwarded-Proto/Host only from a trusted proxy (the TCP peer)", () => {
    stampPeerAddresses();
    const forwarded = {
      "x-forwarded-proto": "https",
      "x-forwarded-host": "hooks.example.com",
      host: "10.0.0.5:3000",
    };
    const config = { trustedProxies: "10.1.0.0/16, 192.168.1.7" };
    const from = (peer: string, xff: string) =>
      headers({ ...forwarded, "x-forwarded-for": xff, [PEER_HEADER]: stampFor(peer) });
    expect(publicUrl(internal, from("10.1.2.3", "203.0.113.9"), config)).toBe(
      "https://hooks.example.com/api/v2/webhooks/twilio/int_1/sms?x=1",
    );
    expect(publicUrl(internal, from("203.0.113.9", "10.1.2.3"), config)).toBe(
      "http://10.0.0.5:3000/api/v2/webhooks/twilio/int_1/sms?x=1",
    );
  });
  it("does not let a client pose as the proxy by writing X-Forwarded-For", () => {
    stampPeerAddresses();
    // The attacker connects directly and names a trusted proxy as the last hop.
    const spoofed = headers({
      "x-forwarded-proto": "https",
      "x-forwarded-host": "evil.example.com",
      "x-forwarded-for": "203.0.113.9, 10.1.2.3",
      host: "10.0.0.5:3000",
      [PEER_HEADER]: stampFor("198.51.100.7"),
    });
    expect(publicUrl(internal, spoofed, { trustedProxies: "10.1.0.0/16" })).toBe(
      "http://10.0.0.5:3000/api/v2/webhooks/twilio/int_1/sms?x=1",
    );
  });
});
