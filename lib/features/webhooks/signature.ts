import twilio from "twilio";

// X-Twilio-Signature validation with the twilio SDK's own validators (never our own HMAC-SHA1).
// Form posts: validateRequest over the URL and the POST parameters. JSON bodies (Verify events):
// validateRequestWithBody, which checks the signature over the URL (including bodySHA256) and
// that bodySHA256 is the SHA-256 of the raw body. GET: the URL with its query, no parameters.
// The SDK tries the URL both with and without the scheme's default port.

export type SignedRequest = {
  method: string;
  url: string;
  contentType: string;
  rawBody: string;
  signature: string | null;
};

/** Form parameters as Twilio signs them (repeated keys become arrays). */
export function formParams(rawBody: string): Record<string, string | string[]> {
  // No prototype: `constructor`, `toString` or `__proto__` are parameter names like any other,
  // not Object.prototype's members turned into arrays (which broke their signature check).
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [k, v] of new URLSearchParams(rawBody)) {
    const existing = out[k];
    out[k] =
      existing === undefined ? v : Array.isArray(existing) ? [...existing, v] : [existing, v];
  }
  return out;
}

export function isJson(contentType: string) {
  return /^application\/json\b/i.test(contentType);
}

export function signatureValid(secret: string, r: SignedRequest): boolean {
  if (!r.signature) return false;
  try {
    if (r.method === "POST" && isJson(r.contentType)) {
      if (!new URL(r.url).searchParams.has("bodySHA256")) return false;
      return twilio.validateRequestWithBody(secret, r.signature, r.url, r.rawBody);
    }
    const params = r.method === "POST" ? formParams(r.rawBody) : {};
    return twilio.validateRequest(secret, r.signature, r.url, params);
  } catch {
    return false;
  }
}
