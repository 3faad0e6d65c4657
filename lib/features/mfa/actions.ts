"use server";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { currentUser } from "@/lib/platform/auth/current-user";
import { passkeyRegistrationOptions, relyingParty } from "@/lib/platform/auth/second-factor";
import { stepUpNeeded } from "@/lib/platform/auth/step-up";
import { currentHeaders } from "@/lib/platform/http/request-meta";
import { userAction } from "@/lib/platform/request-context/user-action";
import type { StepUpMethods } from "@/lib/shared/action-state";
import {
  confirmTotpSchema,
  emptySchema,
  passkeyIdSchema,
  registerPasskeySchema,
  renamePasskeySchema,
} from "./schemas";
import {
  addPasskey,
  confirmTotp,
  regenerateRecoveryCodes,
  removePasskey,
  removeTotp,
  renamePasskey,
  startTotpEnrolment,
} from "./service";

// The member's own second factors (app/account/security). Every change needs a recent proof
// (step-up): removing a factor or replacing the recovery codes, and adding one too, since a
// stolen session must not register the intruder's own passkey or authenticator app (a passkey
// would outlive a password reset). A fresh sign-in counts as the proof, so enrolling right
// after signing in (a required second factor) asks for nothing.
// Actions that show recovery codes do not revalidate: the page would re-render the form that
// shows them away. The form's "Done" button refreshes the page once they are saved.

const SECURITY_PATH = "/account/security";
const rp = async () => relyingParty((await currentHeaders()) ?? new Headers());

export const startTotpAction = userAction(
  emptySchema,
  async (ctx) => {
    await startTotpEnrolment(ctx);
    revalidatePath(SECURITY_PATH);
    return { ok: true };
  },
  { stepUp: true },
);

export const confirmTotpAction = userAction(
  confirmTotpSchema,
  async (ctx, input) => {
    const recoveryCodes = await confirmTotp(ctx, input.code);
    return { ok: true, message: "Authenticator app turned on.", data: { recoveryCodes } };
  },
  { stepUp: true },
);

export const removeTotpAction = userAction(
  emptySchema,
  async (ctx) => {
    await removeTotp(ctx);
    revalidatePath(SECURITY_PATH);
    return { ok: true, message: "Authenticator app removed." };
  },
  { stepUp: true },
);

export const regenerateRecoveryCodesAction = userAction(
  emptySchema,
  async (ctx) => {
    const recoveryCodes = await regenerateRecoveryCodes(ctx);
    return { ok: true, message: "New recovery codes made.", data: { recoveryCodes } };
  },
  { stepUp: true },
);

/** What the passkey form gets: options for the browser, or a request to step up first. */
export type PasskeyRegistrationOptions =
  { options: PublicKeyCredentialCreationOptionsJSON } | { message: string; stepUp: StepUpMethods };

/**
 * Options for the browser to create a passkey (a `register` challenge, five minutes). Not a
 * form action (the browser needs the options before anything is submitted), so it checks the
 * recent proof itself, as userAction's `stepUp` does: no challenge is issued without one.
 */
export async function passkeyRegistrationOptionsAction(): Promise<PasskeyRegistrationOptions> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  const stepUp = await stepUpNeeded(getDb(), user);
  if (stepUp) return { message: "Confirm it is you first", stepUp };
  return {
    options: await passkeyRegistrationOptions(
      getDb(),
      { id: user.userId, email: user.email, name: user.name },
      await rp(),
    ),
  };
}

export const addPasskeyAction = userAction(
  registerPasskeySchema,
  async (ctx, input) => {
    const added = await addPasskey(ctx, input, await rp());
    revalidatePath(SECURITY_PATH);
    return {
      ok: true,
      message: `Passkey “${input.name}” added.`,
      data: { recoveryCodes: added.recoveryCodes },
    };
  },
  { stepUp: true },
);

export const renamePasskeyAction = userAction(renamePasskeySchema, async (ctx, input) => {
  await renamePasskey(ctx, input);
  revalidatePath(SECURITY_PATH);
  return { ok: true, message: "Passkey renamed." };
});

export const removePasskeyAction = userAction(
  passkeyIdSchema,
  async (ctx, input) => {
    await removePasskey(ctx, input);
    revalidatePath(SECURITY_PATH);
    return { ok: true, message: "Passkey removed." };
  },
  { stepUp: true },
);
