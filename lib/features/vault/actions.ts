"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { rotateTenantKey } from "@/lib/platform/keys/tenant-keys";
import { updateKmsSettings } from "@/lib/features/settings/change-kms";
import { tenantAction } from "@/lib/platform/request-context/tenant-action";
import { deleteCredential, rotateCredential, sealCredential, getCredential } from "./service";
import { rewrapTenant } from "@/lib/platform/sealing/rewrap-tenant";
import {
  credentialIdSchema,
  kmsSettingsSchema,
  rotateFormSchema,
  sealFormSchema,
  tenantKeyKindSchema,
  valuesFromForm,
} from "./schemas";

export const sealCredentialAction = tenantAction(
  "vault:write",
  sealFormSchema,
  async (ctx, input) => {
    const sealed = await sealCredential(ctx, {
      type: input.credential_type,
      name: input.name,
      values: valuesFromForm(input.credential_type, input),
      graceSeconds: input.grace_seconds,
    });
    revalidatePath(`/t/${ctx.tenantId}/vault`);
    return { ok: true, message: `Sealed ${sealed.id} (fingerprint ${sealed.fingerprint}).` };
  },
);

export const rotateCredentialAction = tenantAction(
  "vault:write",
  rotateFormSchema,
  async (ctx, input) => {
    const existing = await getCredential(ctx.tenantId, input.credentialId);
    const rotated = await rotateCredential(ctx, input.credentialId, {
      values: valuesFromForm(existing.type, input),
      graceSeconds: input.grace_seconds,
    });
    revalidatePath(`/t/${ctx.tenantId}/vault`);
    return { ok: true, message: `Rotated to version ${rotated.version}.` };
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

export const rotateTenantKeyAction = tenantAction(
  "settings:write",
  tenantKeyKindSchema,
  async (ctx, input) => {
    const key = await rotateTenantKey(ctx.tenantId, input.kind, ctx);
    // New seals use the new vault key at once; the re-wrap job moves what is already sealed.
    const moved = input.kind === "vault" ? await rewrapTenant(ctx) : null;
    revalidatePath(`/t/${ctx.tenantId}/settings`);
    return {
      ok: true,
      message: `New ${input.kind} key version ${key.version}${
        moved ? `; ${moved.credential_versions_resealed} sealed versions moved to it` : ""
      }.`,
    };
  },
);

export const updateKmsAction = tenantAction(
  "settings:write",
  kmsSettingsSchema,
  async (ctx, input) => {
    await updateKmsSettings(ctx, { provider: input.provider, keyArn: input.keyArn ?? null });
    const moved = await rewrapTenant(ctx);
    revalidatePath(`/t/${ctx.tenantId}/settings`);
    return {
      ok: true,
      message: `KMS set to ${input.provider}; ${moved.key_seeds_rewrapped} keys and ${moved.credential_versions_rewrapped} sealed versions re-wrapped.`,
    };
  },
);

export const rewrapAction = tenantAction("settings:write", z.object({}), async (ctx) => {
  const moved = await rewrapTenant(ctx);
  revalidatePath(`/t/${ctx.tenantId}/settings`);
  return {
    ok: true,
    message: `Re-wrapped ${moved.key_seeds_rewrapped} keys and ${moved.credential_versions_rewrapped} sealed versions.`,
  };
});
