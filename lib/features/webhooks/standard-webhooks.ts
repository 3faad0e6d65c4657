import { createHmac, randomBytes } from "node:crypto";

// Standard Webhooks (https://www.standardwebhooks.com/, spec/standard-webhooks.md in
// github.com/standard-webhooks/standard-webhooks): every forwarded delivery carries
// `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`, a space-separated
// list of `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per active secret, so stock
// verifiers (the `standardwebhooks` packages) accept it and a rotation needs no flag day.
const PREFIX = "whsec_";

/** A new forwarding secret in the standard's form: `whsec_` + 32 random bytes, base64. */
export const newForwardSecret = (): string => `${PREFIX}${randomBytes(32).toString("base64")}`;

/**
 * The HMAC key of a `whsec_` secret: its base64 part, decoded. Secrets made before #17 are
 * base64url; Node's decoder reads both alphabets, so they sign with the same 32 bytes a stock
 * verifier gets from the same secret written in base64 (README, "Forwarding").
 */
const signingKey = (secret: string): Buffer =>
  Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");

/** The standard's headers for one attempt of `body`; `secrets` newest first. */
export function standardWebhookHeaders(
  id: string,
  body: string,
  secrets: readonly string[],
  now = new Date(),
): Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const signed = `${id}.${timestamp}.${body}`;
  const signatures = secrets.map(
    (secret) => `v1,${createHmac("sha256", signingKey(secret)).update(signed).digest("base64")}`,
  );
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatures.join(" "),
  };
}
