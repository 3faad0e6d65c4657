"use server";
import { revalidatePath } from "next/cache";
import { tenantAction } from "@/lib/platform/request-context/tenant-action";
import { checkTwilioCredential as check } from "./check-credential";
import { deleteCredential, rotateCredential, sealCredential } from "./service";
import { getCredentialOrThrow } from "./queries";
import { credentialIdSchema, rotateFormSchema, sealFormSchema, valuesFromForm } from "./schemas";
import { verifyCredential } from "./verify-credential";

export const sealCredentialAction = tenantAction(
  "vault:write",
  sealFormSchema,
  async (ctx, input) => {
    const sealed = await sealCredential(
      ctx,
      {
        type: input.credential_type,
        name: input.name,
        values: valuesFromForm(input.credential_type, input),
        graceSeconds: input.grace_seconds,
      },
      { check },
    );
    revalidatePath(`/t/${ctx.tenantId}/vault`);
    return {
      ok: true,
      message: `Sealed ${sealed.id} (fingerprint ${sealed.fingerprint})${sealed.verified_at ? ": Twilio accepted it" : ""}.`,
    };
  },
);

export const rotateCredentialAction = tenantAction(
  "vault:write",
  rotateFormSchema,
  async (ctx, input) => {
    const existing = await getCredentialOrThrow({ tenantId: ctx.tenantId, id: input.credentialId });
    const rotated = await rotateCredential(
      ctx,
      input.credentialId,
      { values: valuesFromForm(existing.type, input), graceSeconds: input.grace_seconds },
      { check },
    );
    revalidatePath(`/t/${ctx.tenantId}/vault`);
    return { ok: true, message: `Rotated to version ${rotated.version}.` };
  },
);

export const verifyCredentialAction = tenantAction(
  "vault:write",
  credentialIdSchema,
  async (ctx, input) => {
    await verifyCredential(ctx, input.credentialId, check);
    revalidatePath(`/t/${ctx.tenantId}/vault`);
    return { ok: true, message: "Twilio accepted the credential." };
  },
);

export const deleteCredentialAction = tenantAction(
  "vault:write",
  credentialIdSchema,
  async (ctx, input) => {
    await deleteCredential(ctx, input.credentialId);
    revalidatePath(`/t/${ctx.tenantId}/vault`);
    return { ok: true, message: "Credential deleted." };
  },
);
