import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { auditInTenants } from "@/lib/platform/auth/authenticate";
import { secondFactorsOf } from "@/lib/platform/auth/factors";
import { verifyPassword } from "@/lib/platform/auth/password";
import {
  // Not a React hook: the name says it spends a code.
  useRecoveryCode as spendRecoveryCode,
  verifyPasskey,
  verifyTotp,
  type RelyingParty,
} from "@/lib/platform/auth/second-factor";
import {
  completeSecondFactor,
  recordStepUp,
  revokeSession,
  type SessionUser,
} from "@/lib/platform/auth/sessions";
import {
  clearFailures,
  lockedUntil,
  MAX_FAILURES,
  recordAttempt,
  throttleKey,
} from "@/lib/platform/auth/sign-in-throttle";
import { stepUpMethods } from "@/lib/platform/auth/step-up";
import type { RequestMeta } from "@/lib/platform/http/request-meta";
import type { Proof } from "./schemas";

// Failed second factors are counted per user with the sign-in throttle (its own key, so a
// wrong code does not lock the password and the reverse): five failures in 15 minutes end
// the pending sign-in and lock second-factor attempts for 15 minutes, which keeps a six-digit
// code out of reach of guessing (at most 5 guesses per 15 minutes against 10^6 codes).
// Each attempt is counted before it is checked (recordAttempt) and forgotten after a success,
// so parallel requests cannot all pass the lock check before the first failure is counted:
// an attempt numbered past MAX_FAILURES is refused unchecked, as a locked one is.
const mfaKey = (userId: string) => throttleKey(`mfa:${userId}`);

async function proofHolds(
  user: { userId: string },
  proof: Proof,
  purpose: "second_factor" | "step_up",
  rp: RelyingParty,
): Promise<boolean> {
  const db = getDb();
  switch (proof.method) {
    case "totp":
      return verifyTotp(db, user.userId, proof.code);
    case "recovery_code":
      // Recovery codes stand in for a second factor only while one is enrolled.
      return (await secondFactorsOf(db, user.userId)).any
        ? spendRecoveryCode(db, user.userId, proof.code)
        : false;
    case "passkey":
      return (
        (await verifyPasskey(
          db,
          { userId: user.userId, purpose, response: proof.response },
          rp,
        )) !== null
      );
    case "password": {
      const [row] = await db
        .select({ passwordHash: users.passwordHash })
        .from(users)
        .where(eq(users.id, user.userId));
      return row?.passwordHash ? verifyPassword(proof.password, row.passwordHash) : false;
    }
  }
}

const who = (user: SessionUser) => ({ id: user.userId, email: user.email });

type SecondStepResult = "verified" | "wrong" | "ended";

/**
 * The second step of a password sign-in: a code, recovery code or passkey completes the
 * pending session; a failure is counted and audited, and the fifth ends the session (the
 * sign-in starts over), as does any attempt while second factors are locked.
 */
export async function completeSignIn(
  pending: SessionUser,
  proof: Proof,
  meta: RequestMeta,
  rp: RelyingParty,
): Promise<SecondStepResult> {
  const db = getDb();
  const key = mfaKey(pending.userId);
  const factor = proof.method;
  if (factor === "password") return "wrong"; // the password was the first step
  const endLocked = () =>
    db.transaction(async (tx) => {
      await revokeSession(tx, pending.sessionId);
      await auditInTenants(tx, who(pending), "auth.mfa_failed", "denied", meta, {
        factor,
        reason: "locked",
        session_id: pending.sessionId,
      });
      return "ended" as const;
    });
  if (await lockedUntil(db, key)) return endLocked();
  const attempt = await recordAttempt(db, key);
  if (attempt > MAX_FAILURES) return endLocked();
  if (!(await proofHolds(pending, proof, "second_factor", rp))) {
    const locked = attempt >= MAX_FAILURES;
    return db.transaction(async (tx) => {
      if (locked) await revokeSession(tx, pending.sessionId);
      await auditInTenants(tx, who(pending), "auth.mfa_failed", "denied", meta, {
        factor,
        reason: locked ? "too_many_failures" : "wrong_factor",
        session_id: pending.sessionId,
      });
      return locked ? "ended" : "wrong";
    });
  }
  return db.transaction(async (tx) => {
    // The session may have been revoked since it was found pending (signed out in another
    // tab, ended by an owner, or by a parallel attempt that hit the lock): nothing completes.
    if (!(await completeSecondFactor(tx, pending.sessionId))) {
      await auditInTenants(tx, who(pending), "auth.mfa_failed", "denied", meta, {
        factor,
        reason: "session_ended",
        session_id: pending.sessionId,
      });
      return "ended";
    }
    await clearFailures(tx, key);
    if (factor === "recovery_code") {
      const { recoveryCodesLeft } = await secondFactorsOf(tx, pending.userId);
      await auditInTenants(tx, who(pending), "auth.recovery_code_used", "succeeded", meta, {
        session_id: pending.sessionId,
        recovery_codes_left: recoveryCodesLeft,
      });
    } else {
      await auditInTenants(tx, who(pending), "auth.mfa_verified", "succeeded", meta, {
        factor,
        session_id: pending.sessionId,
      });
    }
    return "verified";
  });
}

export type StepUpResult = "confirmed" | "wrong" | "locked" | "not_allowed" | "sign_in_again";

/**
 * A fresh proof for sensitive actions. A member with a second factor must use it (their
 * password is refused), as must a member whose domain requires single sign-on (with none, they
 * sign in again: `sign_in_again`); failures count towards the same lock as the second step of
 * sign-in.
 */
export async function stepUp(
  user: SessionUser,
  proof: Proof,
  meta: RequestMeta,
  rp: RelyingParty,
): Promise<StepUpResult> {
  const db = getDb();
  const key = mfaKey(user.userId);
  const method = proof.method;
  const methods = await stepUpMethods(db, user.userId);
  const allowed = {
    totp: methods.totp,
    recovery_code: methods.recoveryCode,
    passkey: methods.passkey,
    password: methods.password,
  }[method];
  const refuse = (reason: string) =>
    db.transaction((tx) =>
      auditInTenants(tx, who(user), "auth.mfa_failed", "denied", meta, {
        method,
        reason,
        purpose: "step_up",
      }),
    );
  if (!allowed) {
    // No way to confirm at all (single sign-on only): a new sign-in is the proof.
    if (methods.enrolFirst) {
      await refuse("sign_in_again");
      return "sign_in_again";
    }
    await refuse("method_not_allowed");
    return "not_allowed";
  }
  if (await lockedUntil(db, key)) {
    await refuse("locked");
    return "locked";
  }
  const attempt = await recordAttempt(db, key);
  if (attempt > MAX_FAILURES) {
    await refuse("locked");
    return "locked";
  }
  if (!(await proofHolds(user, proof, "step_up", rp))) {
    const locked = attempt >= MAX_FAILURES;
    return db.transaction(async (tx) => {
      await auditInTenants(tx, who(user), "auth.mfa_failed", "denied", meta, {
        method,
        reason: locked ? "too_many_failures" : "wrong_factor",
        purpose: "step_up",
      });
      return locked ? "locked" : "wrong";
    });
  }
  await db.transaction(async (tx) => {
    await recordStepUp(tx, user.sessionId);
    await clearFailures(tx, key);
    await auditInTenants(tx, who(user), "auth.step_up", "succeeded", meta, {
      method,
      session_id: user.sessionId,
    });
  });
  return "confirmed";
}
