"use server";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { currentUser } from "@/lib/platform/auth/current-user";
import { passkeyRegistrationOptions, relyingParty } from "@/lib/platform/auth/second-factor";
import { currentHeaders } from "@/lib/platform/http/request-meta";
import { userAction } from "@/lib/platform/request-context/user-action";
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

// The member's own second factors (app/account/security). Removing a factor and replacing the
// recovery codes need a recent proof (step-up); adding one does not (it only adds protection).
// Actions that show recovery codes do not revalidate: the page would re-render the form that
// shows them away. The form's "Done" button refreshes the page once they are saved.

const SECURITY_PATH = "/account/security";
const rp = async () => relyingParty((await currentHeaders()) ?? new Headers());

export const startTotpAction = userAction(emptySchema, async (ctx) => {
  await startTotpEnrolment(ctx);
  revalidatePath(SECURITY_PATH);
  return { ok: true };
});

export const confirmTotpAction = userAction(confirmTotpSchema, async (ctx, input) => {
  const recoveryCodes = await confirmTotp(ctx, input.code);
  return { ok: true, message: "Authenticator app turned on.", data: { recoveryCodes } };
});

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

/** Options for the browser to create a passkey (a `register` challenge, five minutes). */
export async function passkeyRegistrationOptionsAction(): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  return passkeyRegistrationOptions(
    getDb(),
    { id: user.userId, email: user.email, name: user.name },
    await rp(),
  );
}

export const addPasskeyAction = userAction(registerPasskeySchema, async (ctx, input) => {
  const added = await addPasskey(ctx, input, await rp());
  revalidatePath(SECURITY_PATH);
  return {
    ok: true,
    message: `Passkey “${input.name}” added.`,
    data: { recoveryCodes: added.recoveryCodes },
  };
});

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
