"use server";
import { revalidatePath } from "next/cache";
import { currentTenantKey } from "@/lib/platform/keys/tenant-keys";
import { tenantAction } from "@/lib/platform/request-context/tenant-action";
import type { ActionState } from "@/lib/shared/action-state";
import { createApiKey, revokeApiKey, rollApiKey, updateApiKeyAccess } from "./service";
import {
  createApiKeySchema,
  revokeApiKeySchema,
  rollApiKeySchema,
  updateApiKeyAccessSchema,
} from "./schemas";

export const createApiKeyAction = tenantAction(
  "keys:write",
  createApiKeySchema,
  async (ctx, input): Promise<ActionState<CreatedApiKey>> => {
    const created = await createApiKey(ctx, input);
    const signing = await currentTenantKey(ctx.tenantId, "signing");
    revalidatePath(`/t/${ctx.tenantId}/api-keys`);
    return {
      ok: true,
      data: {
        key: created.key,
        prefix: created.prefix,
        tenantId: ctx.tenantId,
        clientKeyId: created.clientKeyId,
        signingPublicKeys: { [signing.id]: signing.publicKey },
        signingFingerprint: signing.fingerprint,
      },
    };
  },
);

export type CreatedApiKey = {
  key: string;
  prefix: string;
  tenantId: string;
  clientKeyId: string | null;
  signingPublicKeys: Record<string, string>;
  signingFingerprint: string;
};

export const revokeApiKeyAction = tenantAction(
  "keys:write",
  revokeApiKeySchema,
  async (ctx, input) => {
    await revokeApiKey(ctx, input);
    revalidatePath(`/t/${ctx.tenantId}/api-keys`);
    return { ok: true, message: "API key revoked." };
  },
);

export type RolledApiKey = { key: string; prefix: string; previousValidUntil: string | null };

export const rollApiKeyAction = tenantAction(
  "keys:write",
  rollApiKeySchema,
  async (ctx, input): Promise<ActionState<RolledApiKey>> => {
    const rolled = await rollApiKey(ctx, input);
    revalidatePath(`/t/${ctx.tenantId}/api-keys`);
    return {
      ok: true,
      data: {
        key: rolled.key,
        prefix: rolled.prefix,
        previousValidUntil: rolled.previousValidUntil?.toISOString() ?? null,
      },
    };
  },
);

export const updateApiKeyAccessAction = tenantAction(
  "keys:write",
  updateApiKeyAccessSchema,
  async (ctx, input) => {
    await updateApiKeyAccess(ctx, input);
    revalidatePath(`/t/${ctx.tenantId}/api-keys`);
    return { ok: true, message: "Allowed networks and limits saved." };
  },
);
