"use server";
import { FIELD_ERRORS_MESSAGE } from "@/lib/platform/errors/field-errors";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { AuthError, CredentialsSignin } from "next-auth";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { safeRedirectPath } from "@/lib/features/auth/safe-redirect";
import { SIGN_IN_MESSAGES } from "@/lib/features/auth/sign-in-messages";
import { signIn, signOut } from "@/lib/platform/auth/auth";
import { auditInTenants } from "@/lib/platform/auth/authenticate";
import { currentPendingUser } from "@/lib/platform/auth/current-user";
import { passkeyRequestOptions, relyingParty } from "@/lib/platform/auth/second-factor";
import { revokeSession } from "@/lib/platform/auth/sessions";
import { currentHeaders, currentRequestMeta } from "@/lib/platform/http/request-meta";
import {
  formToObject,
  invalidForm,
  unreadableForm,
  unsafeFields,
} from "@/lib/platform/request-context/tenant-action";
import type { ActionState } from "@/lib/shared/action-state";
import { SECOND_FACTOR_PATH } from "@/lib/shared/paths";
import { completeSignIn } from "./prove";
import { proofSchema } from "./schemas";

// Before a complete session exists: the second step of a password sign-in (the session is
// pending, so these are not under userAction; each checks currentPendingUser itself), and
// the passwordless sign-in with a passkey (no session at all).

const rp = async () => relyingParty((await currentHeaders()) ?? new Headers());
const signInAgain = (callbackUrl: string) =>
  `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`;

/** Options for the pending member's passkeys (a `second_factor` challenge). */
export async function secondFactorOptionsAction(): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const pending = await currentPendingUser();
  if (!pending) redirect("/sign-in");
  return passkeyRequestOptions(
    getDb(),
    { userId: pending.userId, purpose: "second_factor" },
    await rp(),
  );
}

/**
 * Completes a pending sign-in with a code, recovery code or passkey (`method` says which),
 * then follows the (same-origin) callbackUrl. The fifth failure ends the pending session.
 */
export async function secondFactorAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  const unreadable = unreadableForm(formData);
  if (unreadable) return unreadable;
  const raw = formToObject(formData);
  const next = safeRedirectPath(raw.callbackUrl);
  const pending = await currentPendingUser();
  if (!pending) redirect(signInAgain(next));
  const unsafe = unsafeFields(raw);
  if (unsafe) return { message: FIELD_ERRORS_MESSAGE, errors: unsafe };
  const parsed = proofSchema.safeParse(raw);
  if (!parsed.success || parsed.data.method === "password") {
    return parsed.success ? { message: "Use your second factor." } : invalidForm(parsed.error);
  }
  const result = await completeSignIn(pending, parsed.data, await currentRequestMeta(), await rp());
  if (result === "ended") redirect(signInAgain(next));
  if (result === "wrong") {
    return {
      message:
        parsed.data.method === "passkey"
          ? "The passkey was not accepted. Try again, or use another way below."
          : "That code is not right. Check it and try again.",
      errors: parsed.data.method === "passkey" ? {} : { code: ["That code is not right."] },
    };
  }
  redirect(next);
}

/**
 * "Cancel sign-in" on the second-factor page: ends the pending session (the first step was
 * taken, the second factor never came) and the Auth.js cookie, so someone else can sign in.
 */
export async function cancelSignInAction(): Promise<void> {
  const pending = await currentPendingUser();
  if (pending) {
    const meta = await currentRequestMeta();
    await getDb().transaction(async (tx) => {
      await revokeSession(tx, pending.sessionId);
      await auditInTenants(
        tx,
        { id: pending.userId, email: pending.email },
        "auth.sign_out",
        "succeeded",
        meta,
        { session_id: pending.sessionId, pending_second_factor: true },
      );
    });
  }
  await signOut({ redirectTo: "/sign-in" });
}

/** Options for a passwordless sign-in: any passkey this browser holds for us. */
export async function passkeySignInOptionsAction(): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return passkeyRequestOptions(getDb(), { userId: null, purpose: "sign_in" }, await rp());
}

/** Signs in with a passkey assertion (Auth.js "passkey" provider), then follows callbackUrl. */
export async function passkeySignInAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  const unreadable = unreadableForm(formData);
  if (unreadable) return unreadable;
  const response = formData.get("response");
  if (typeof response !== "string" || response.length === 0 || response.length > 64_000) {
    return { message: "The passkey did not answer. Try again." };
  }
  try {
    await signIn("passkey", {
      response,
      // Through the second step, which forwards a complete session at once.
      redirectTo: `${SECOND_FACTOR_PATH}?callbackUrl=${encodeURIComponent(
        safeRedirectPath(formData.get("callbackUrl")),
      )}`,
    });
    return {};
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === "sso_required") {
      return { message: SIGN_IN_MESSAGES.sso_required };
    }
    if (error instanceof AuthError) {
      return {
        message: "That passkey was not accepted. Try again, or sign in with your password.",
      };
    }
    throw error; // the redirect after a successful sign-in
  }
}
