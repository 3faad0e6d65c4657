"use server";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { currentUser } from "@/lib/platform/auth/current-user";
import { passkeyRequestOptions, relyingParty } from "@/lib/platform/auth/second-factor";
import { currentHeaders } from "@/lib/platform/http/request-meta";
import { userAction } from "@/lib/platform/request-context/user-action";
import type { ActionState } from "@/lib/shared/action-state";
import { stepUp, type StepUpResult } from "./prove";
import { proofSchema } from "./schemas";

// The step-up dialog (components/auth/step-up-dialog.tsx): a fresh proof before a sensitive
// action, for a member with a complete session.

const rp = async () => relyingParty((await currentHeaders()) ?? new Headers());

/** Options for a passkey assertion (a `step_up` challenge for the member's own passkeys). */
export async function stepUpOptionsAction(): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  return passkeyRequestOptions(getDb(), { userId: user.userId, purpose: "step_up" }, await rp());
}

const ANSWERS: Record<StepUpResult, ActionState> = {
  confirmed: { ok: true, message: "Confirmed." },
  wrong: { message: "That did not work. Check it and try again." },
  locked: { message: "Too many failed attempts. Try again in 15 minutes." },
  not_allowed: {
    message:
      "Confirm with your second factor: your account has one, so a password alone is not enough.",
  },
  sign_in_again: {
    message:
      "Your account confirms with single sign-on: sign out, then sign in again with single sign-on.",
  },
};

export const stepUpAction = userAction(proofSchema, async (ctx, proof) => {
  const result = await stepUp(ctx.user, proof, ctx.meta, await rp());
  if (result === "not_allowed" && proof.method !== "password") {
    return { message: "That way of confirming is not set up for your account." };
  }
  return ANSWERS[result];
});
