import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import type { Db } from "@/db";
import { recoveryCodes, userTotp } from "@/db/schema";
import { unwrapSecret, wrapSecret } from "@/lib/platform/kms/local-kms";
import { KMS_PURPOSES } from "@/lib/platform/kms/purposes";
import { newId } from "@/lib/shared/ids";

// The second factors a member proves themselves with: a code from an authenticator app
// (RFC 6238), a one-time recovery code, or a passkey (WebAuthn, ./webauthn.ts). Used by the
// second step of sign-in, by step-up and by the MFA feature's enrolment.
export {
  passkeyRegistrationOptions,
  passkeyRequestOptions,
  registerPasskey,
  relyingParty,
  verifyPasskey,
  type RelyingParty,
} from "./webauthn";

type Writer = Pick<Db, "select" | "update" | "insert" | "delete">;

/** RFC 6238 as every authenticator app does it: SHA-1, 6 digits, 30-second steps. */
const TOTP_PERIOD = 30;
/** One step either side: a phone's clock a little off, a code typed as it changed. */
const TOTP_WINDOW = 1;
/** 160 bits, the HMAC-SHA-1 block the RFC 4226 §4 recommends. */
const TOTP_SECRET_BYTES = 20;
const TOTP_ISSUER = "PQSeal";

const totpOwner = (userId: string) => `user:${userId}`;

function totpFor(secret: Uint8Array, label = "") {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: "SHA1",
    digits: 6,
    period: TOTP_PERIOD,
    secret: new Secret({ buffer: Uint8Array.from(secret).buffer }),
  });
}

/** A fresh TOTP secret, wrapped by the deployment's KMS bound to the user (never stored in clear). */
export function newTotpSecret(userId: string): { sealed: string; base32: string } {
  const bytes = randomBytes(TOTP_SECRET_BYTES);
  const sealed = wrapSecret(totpOwner(userId), KMS_PURPOSES.totpSecret, bytes);
  const base32 = new Secret({ buffer: Uint8Array.from(bytes).buffer }).base32;
  bytes.fill(0);
  return { sealed, base32 };
}

/** The base32 secret and otpauth:// URI of a stored secret, for the enrolment page. */
export function totpSetupOf(userId: string, sealed: string, account: string) {
  const bytes = unwrapSecret(totpOwner(userId), KMS_PURPOSES.totpSecret, sealed);
  const totp = totpFor(bytes, account);
  bytes.fill(0);
  return { base32: totp.secret.base32, uri: totp.toString() };
}

/**
 * The time step a code belongs to if it is right for the stored secret (within the window),
 * else null. Only six digits are considered: no other input reaches the HMAC.
 */
export function totpStepOf(
  userId: string,
  sealed: string,
  code: string,
  now = Date.now(),
): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const bytes = unwrapSecret(totpOwner(userId), KMS_PURPOSES.totpSecret, sealed);
  const delta = totpFor(bytes).validate({ token, timestamp: now, window: TOTP_WINDOW });
  bytes.fill(0);
  if (delta === null) return null;
  return TOTP.counter({ period: TOTP_PERIOD, timestamp: now }) + delta;
}

/**
 * A code from the member's confirmed authenticator app. Each time step is accepted once: the
 * step is recorded in the same statement that checks it is newer than the last one used, so a
 * code replayed (even concurrently) or an older code after a newer one is refused.
 */
export async function verifyTotp(
  db: Writer,
  userId: string,
  code: string,
  now = Date.now(),
): Promise<boolean> {
  const [row] = await db
    .select({ secretWrapped: userTotp.secretWrapped })
    .from(userTotp)
    .where(and(eq(userTotp.userId, userId), isNotNull(userTotp.confirmedAt)));
  if (!row) return false;
  const step = totpStepOf(userId, row.secretWrapped, code, now);
  if (step === null) return false;
  const used = await db
    .update(userTotp)
    .set({ lastUsedStep: step })
    .where(
      and(
        eq(userTotp.userId, userId),
        isNotNull(userTotp.confirmedAt),
        or(isNull(userTotp.lastUsedStep), lt(userTotp.lastUsedStep, step)),
      ),
    )
    .returning({ userId: userTotp.userId });
  return used.length === 1;
}

// ---- recovery codes ----

const RECOVERY_CODE_COUNT = 10;
/** Crockford's base32 (no i, l, o, u): 16 characters are 80 random bits. */
const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

function normaliseRecoveryCode(code: string): string {
  return code
    .toLowerCase()
    .replace(/[^0-9a-z]/g, "")
    .replace(/[il]/g, "1")
    .replace(/o/g, "0");
}

/**
 * Recovery codes are stored as SHA-256 of the user id and the normalised code. A plain hash
 * suffices: each code is 80 random bits (no dictionary, no feasible search), and the user id
 * keeps equal codes of two users apart.
 */
function recoveryCodeHash(userId: string, code: string): string {
  return createHash("sha256")
    .update(`pqseal/recovery-code/v1:${userId}:${normaliseRecoveryCode(code)}`)
    .digest("hex");
}

function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)?.join("-") ?? out;
}

/**
 * Replaces the member's recovery codes with RECOVERY_CODE_COUNT new ones and returns them:
 * the only time they exist in clear (shown once). Old codes stop working at once.
 */
export async function replaceRecoveryCodes(db: Writer, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await db.insert(recoveryCodes).values(
    codes.map((code) => ({
      id: newId("recoveryCode"),
      userId,
      codeHash: recoveryCodeHash(userId, code),
    })),
  );
  return codes;
}

/** Spends one of the member's recovery codes: true once per code (atomic), false otherwise. */
export async function useRecoveryCode(db: Writer, userId: string, code: string): Promise<boolean> {
  if (normaliseRecoveryCode(code).length !== 16) return false;
  const spent = await db
    .update(recoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(recoveryCodes.userId, userId),
        eq(recoveryCodes.codeHash, recoveryCodeHash(userId, code)),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ id: recoveryCodes.id });
  return spent.length === 1;
}
