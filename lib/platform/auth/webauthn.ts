import "server-only";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { and, eq, isNull, lt } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { passkeys, webauthnChallenges } from "@/db/schema";
import { env } from "@/lib/platform/config/env";
import { servedOverHttps, trustedForwarded } from "@/lib/platform/http/client-address";
import { newId } from "@/lib/shared/ids";

// Passkeys (WebAuthn Level 2): registration, and assertions for passwordless sign-in, the
// second step of a password sign-in and step-up. Every ceremony has a single-use challenge row.

type Writer = Pick<Db, "select" | "update" | "insert" | "delete">;

/** Whom the browser signs for: the site's domain (rpID) and the exact origin of our pages. */
export type RelyingParty = { rpID: string; origin: string };

/**
 * The relying party this request is served as: PUBLIC_BASE_URL when set (production should
 * set it: the Host header is the client's to write), else a trusted proxy's forwarded host,
 * else the request's Host. WebAuthn needs a domain: `localhost` works, an IP address does not.
 */
export function relyingParty(headers: Headers): RelyingParty {
  const base = env().PUBLIC_BASE_URL;
  if (base) {
    const url = new URL(base);
    return { rpID: url.hostname, origin: url.origin };
  }
  const host = trustedForwarded(headers, "x-forwarded-host") ?? headers.get("host") ?? "localhost";
  const origin = new URL(`${servedOverHttps(headers) ? "https" : "http"}://${host}`);
  return { rpID: origin.hostname, origin: origin.origin };
}

const CHALLENGE_MS = 5 * 60 * 1000;
type AssertionPurpose = "sign_in" | "second_factor" | "step_up";
type Purpose = AssertionPurpose | "register";

const b64url = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*$/);
const assertionSchema = z.object({
  id: b64url.min(1).max(1024),
  rawId: b64url,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64url,
    authenticatorData: b64url,
    signature: b64url,
    userHandle: b64url.optional(),
  }),
  clientExtensionResults: z.object({}).passthrough().default({}),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});
const attestationSchema = z.object({
  id: b64url.min(1).max(1024),
  rawId: b64url,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64url,
    attestationObject: b64url,
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults: z.object({}).passthrough().default({}),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});

/** The browser's JSON (or its serialisation) checked for shape; anything else is null. */
function parse<T>(schema: z.ZodType<T>, response: unknown): T | null {
  let value = response;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The challenge the browser signed, read from its client data (verified again by simplewebauthn). */
function signedChallenge(clientDataJSON: string): string | null {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as unknown;
    const challenge = (data as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === "string" && challenge.length > 0 ? challenge : null;
  } catch {
    return null;
  }
}

async function storeChallenge(
  db: Writer,
  userId: string | null,
  purpose: Purpose,
  challenge: string,
) {
  const now = new Date();
  // Expired challenges of anyone go with each new one: the table holds only live ceremonies.
  await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, now));
  await db.insert(webauthnChallenges).values({
    id: newId("webauthnChallenge"),
    userId,
    purpose,
    challenge,
    expiresAt: new Date(now.getTime() + CHALLENGE_MS),
  });
}

/**
 * Takes the challenge out of the table (single use: deleted whether or not the response then
 * verifies), provided it was issued for this purpose and user and has not expired.
 */
async function consumeChallenge(
  db: Writer,
  userId: string | null,
  purpose: Purpose,
  challenge: string,
): Promise<string | null> {
  const [row] = await db
    .delete(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.challenge, challenge),
        eq(webauthnChallenges.purpose, purpose),
        userId === null ? isNull(webauthnChallenges.userId) : eq(webauthnChallenges.userId, userId),
      ),
    )
    .returning({
      challenge: webauthnChallenges.challenge,
      expiresAt: webauthnChallenges.expiresAt,
    });
  return row && row.expiresAt > new Date() ? row.challenge : null;
}

/**
 * Options for navigator.credentials.get(). With a user, only their passkeys are offered;
 * without (passwordless sign-in), the browser offers the discoverable ones it holds. A sign-in
 * by passkey alone requires user verification (PIN or biometrics: two factors in one).
 */
export async function passkeyRequestOptions(
  db: Writer,
  { userId, purpose }: { userId: string | null; purpose: AssertionPurpose },
  rp: RelyingParty,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const allow = userId
    ? await db
        .select({ id: passkeys.credentialId, transports: passkeys.transports })
        .from(passkeys)
        .where(eq(passkeys.userId, userId))
    : [];
  const options = await generateAuthenticationOptions({
    rpID: rp.rpID,
    allowCredentials: allow,
    userVerification: purpose === "sign_in" ? "required" : "preferred",
    timeout: CHALLENGE_MS,
  });
  await storeChallenge(db, userId, purpose, options.challenge);
  return options;
}

/**
 * Verifies an assertion against a challenge issued for this purpose (and user, when given):
 * signature, origin, rpID, the credential's owner, and a signature counter that must move
 * forward (simplewebauthn refuses a counter at or below the stored one unless both are 0,
 * as with synced passkeys that do not count). The counter is written only if no concurrent
 * use moved it first. Returns who signed, or null.
 */
export async function verifyPasskey(
  db: Writer,
  {
    userId,
    purpose,
    response,
  }: { userId: string | null; purpose: AssertionPurpose; response: unknown },
  rp: RelyingParty,
): Promise<{ userId: string; passkeyId: string } | null> {
  const assertion = parse(assertionSchema, response);
  const challenge = assertion && signedChallenge(assertion.response.clientDataJSON);
  if (!assertion || !challenge) return null;
  const expected = await consumeChallenge(db, userId, purpose, challenge);
  if (!expected) return null;
  const [key] = await db.select().from(passkeys).where(eq(passkeys.credentialId, assertion.id));
  if (!key || (userId !== null && key.userId !== userId)) return null;
  // A discoverable credential names its user; it must be the passkey's owner.
  const handle = assertion.response.userHandle;
  if (handle && Buffer.from(handle, "base64url").toString("utf8") !== key.userId) return null;
  let newCounter: number;
  try {
    const result = await verifyAuthenticationResponse({
      response: assertion,
      expectedChallenge: expected,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: {
        id: key.credentialId,
        publicKey: Buffer.from(key.publicKey, "base64url"),
        counter: key.counter,
        transports: key.transports,
      },
      requireUserVerification: purpose === "sign_in",
    });
    if (!result.verified) return null;
    newCounter = result.authenticationInfo.newCounter;
  } catch {
    return null;
  }
  const updated = await db
    .update(passkeys)
    .set({ counter: newCounter, lastUsedAt: new Date() })
    .where(and(eq(passkeys.id, key.id), eq(passkeys.counter, key.counter)))
    .returning({ id: passkeys.id });
  return updated.length === 1 ? { userId: key.userId, passkeyId: key.id } : null;
}

/**
 * Options for navigator.credentials.create(): a discoverable credential (residentKey
 * required, so it can sign in without an e-mail), no attestation, the member's existing
 * passkeys excluded. The user handle is the user id (checked at sign-in).
 */
export async function passkeyRegistrationOptions(
  db: Writer,
  user: { id: string; email: string; name: string },
  rp: RelyingParty,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await db
    .select({ id: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.userId, user.id));
  const options = await generateRegistrationOptions({
    rpName: "PQSeal",
    rpID: rp.rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    excludeCredentials: existing,
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
    // ES256 and RS256: what platform authenticators and security keys offer.
    supportedAlgorithmIDs: [-7, -257],
    timeout: CHALLENGE_MS,
  });
  await storeChallenge(db, user.id, "register", options.challenge);
  return options;
}

/** Verifies a registration against the member's `register` challenge and stores the passkey. */
export async function registerPasskey(
  db: Writer,
  userId: string,
  name: string,
  response: unknown,
  rp: RelyingParty,
): Promise<{ passkeyId: string } | null> {
  const attestation = parse(attestationSchema, response);
  const challenge = attestation && signedChallenge(attestation.response.clientDataJSON);
  if (!attestation || !challenge) return null;
  const expected = await consumeChallenge(db, userId, "register", challenge);
  if (!expected) return null;
  let credential;
  try {
    const result = await verifyRegistrationResponse({
      response: attestation,
      expectedChallenge: expected,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: false,
      supportedAlgorithmIDs: [-7, -257],
    });
    if (!result.verified) return null;
    credential = result.registrationInfo.credential;
  } catch {
    return null;
  }
  const id = newId("passkey");
  const inserted = await db
    .insert(passkeys)
    .values({
      id,
      userId,
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString("base64url"),
      counter: credential.counter,
      transports: attestation.response.transports ?? [],
      name,
    })
    .onConflictDoNothing()
    .returning({ id: passkeys.id });
  return inserted.length === 1 ? { passkeyId: id } : null;
}
