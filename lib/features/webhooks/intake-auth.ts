import "server-only";
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { tenantHmacKey } from "@/lib/platform/kms/local-kms";

// Optional HTTP Basic credentials on an integration's intake URLs (#17). Twilio takes them from
// the URL it is given (https://user:pass@host/path): it calls first without an Authorization
// header and retries with one only after a 401 carrying a `WWW-Authenticate: Basic realm=…`
// challenge (https://www.twilio.com/docs/usage/security#http-authentication). The password is
// stored only as an HMAC-SHA-256 under a per-tenant key derived from the KMS master key, so a
// database dump alone cannot test guesses; it is shown once.

export const INTAKE_AUTH_CHALLENGE = 'Basic realm="PQSeal webhooks"';

const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// Letters and digits only: Twilio warns against special characters in URL credentials, and
// these never need percent-encoding, so the URL Twilio signs is spelled one way.
function alphanumeric(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: bytes above it are dropped, so every character is equally likely.
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62] ?? "";
    }
  }
  return out;
}

/** A new username (not secret, shown on the integration) and password (~238 bits, shown once). */
export function newIntakeCredentials() {
  return { username: `pqs${alphanumeric(13)}`, password: alphanumeric(40) };
}

/** The stored form of a password, bound to the integration: a hash cannot be moved to another. */
export function intakeAuthHash(tenantId: string, integrationId: string, password: string) {
  return createHmac("sha256", tenantHmacKey(tenantId, "webhook-intake-auth"))
    .update(`${integrationId}\u0000${password}`)
    .digest("hex");
}

type IntakeAuthSettings = {
  id: string;
  tenantId: string;
  intakeAuthUsername: string | null;
  intakeAuthHash: string | null;
};

type IntakeAuthCheck =
  | { state: "off" }
  | { state: "missing" }
  | { state: "invalid" }
  | { state: "ok"; username: string; password: string };

/**
 * Whether the request's Authorization header carries the integration's intake credentials.
 * `missing`: no Authorization header at all (Twilio's first call). Anything else that is not
 * the right pair is `invalid`. The username and the password's keyed hash are both compared in
 * constant time, and both always, so the answer's timing says nothing about which was wrong.
 */
export function checkIntakeAuth(
  integration: IntakeAuthSettings,
  authorization: string | null,
): IntakeAuthCheck {
  const { intakeAuthUsername: username, intakeAuthHash: hash } = integration;
  if (!username || !hash) return { state: "off" };
  if (authorization === null) return { state: "missing" };
  const presented = parseBasic(authorization);
  if (!presented) return { state: "invalid" };
  const sameUser = sameDigest(digest(presented.username), digest(username));
  const actual = Buffer.from(
    intakeAuthHash(integration.tenantId, integration.id, presented.password),
    "hex",
  );
  const samePassword = sameDigest(actual, Buffer.from(hash, "hex"));
  return sameUser && samePassword ? { state: "ok", ...presented } : { state: "invalid" };
}

const digest = (value: string) => createHash("sha256").update(value).digest();
const sameDigest = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/** RFC 7617: `Basic base64(user-id ":" password)`; the user id holds no colon. */
function parseBasic(header: string): { username: string; password: string } | null {
  const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i.exec(header);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * The intake URL with the credentials in it: what the admin pastes into Twilio's console, and
 * what Twilio signs. Only letters and digits (newIntakeCredentials), so nothing to escape.
 */
export function withIntakeCredentials(url: string, username: string, password: string) {
  const at = url.indexOf("://") + 3;
  return `${url.slice(0, at)}${username}:${password}@${url.slice(at)}`;
}
