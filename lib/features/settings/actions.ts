"use server";
import { formatUtc } from "@/lib/shared/format-date";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { rotateTenantKey } from "@/lib/platform/keys/tenant-keys";
import { tenantAction } from "@/lib/platform/request-context/tenant-action";
import { rewrapTenant } from "@/lib/platform/sealing/rewrap-tenant";
import { updateKmsSettings } from "./change-kms";
import {
  checkpointForwardSchema,
  kmsSettingsSchema,
  mfaPolicySchema,
  retentionSchema,
  tenantKeyKindSchema,
} from "./schemas";
import { updateCheckpointForwarding, updateMfaPolicy, updateRetention } from "./service";

export const updateMfaPolicyAction = tenantAction(
  "owners:manage",
  mfaPolicySchema,
  async (ctx, input) => {
    await updateMfaPolicy(ctx, input);
    revalidatePath(`/t/${ctx.tenantId}/settings`);
    return {
      ok: true,
      message: input.requireMfa
        ? "Every member now needs a second factor."
        : "A second factor is now optional.",
    };
  },
);

export const updateRetentionAction = tenantAction(
  "settings:write",
  retentionSchema,
  async (ctx, input) => {
    await updateRetention(ctx, input);
    revalidatePath(`/t/${ctx.tenantId}/settings`);
    return { ok: true, message: "Retention saved." };
  },
);

export const rotateTenantKeyAction = tenantAction(
  "settings:write",
  tenantKeyKindSchema,
  async (ctx, input) => {
    const key = await rotateTenantKey(ctx, input.kind, { switchoverHours: input.switchoverHours });
    // New seals use the new vault key at once; the re-wrap job moves what is already sealed.
    const moved = input.kind === "vault" ? await rewrapTenant(ctx) : null;
    revalidatePath(`/t/${ctx.tenantId}/settings`);
    // A signing key is published now and signs from its switch-over (ENVELOPE.md §9.1).
    const signsFrom =
      key.activatesAt && key.activatesAt.getTime() > Date.now()
        ? `; it is published now and signs from ${formatUtc(key.activatesAt)}`
        : "";
    return {
      ok: true,
      message: `New ${input.kind} key version ${key.version}${signsFrom}${
        moved ? `; ${moved.sealed_values_resealed} sealed values moved to it` : ""
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
      message: `KMS set to ${input.provider}; ${moved.key_seeds_rewrapped} keys and ${moved.sealed_values_rewrapped} sealed values re-wrapped.`,
    };
  },
);

export const rewrapAction = tenantAction("settings:write", z.object({}), async (ctx) => {
  const moved = await rewrapTenant(ctx);
  revalidatePath(`/t/${ctx.tenantId}/settings`);
  return {
    ok: true,
    message: `Re-wrapped ${moved.key_seeds_rewrapped} keys and ${moved.sealed_values_rewrapped} sealed values.`,
  };
});

export const updateCheckpointForwardingAction = tenantAction(
  "settings:write",
  checkpointForwardSchema,
  async (ctx, input) => {
    await updateCheckpointForwarding(ctx, { url: input.checkpointForwardUrl });
    revalidatePath(`/t/${ctx.tenantId}/settings`);
    return {
      ok: true,
      message: input.checkpointForwardUrl
        ? "Signed checkpoints will also be sent there."
        : "Checkpoint forwarding is off.",
    };
  },
);
