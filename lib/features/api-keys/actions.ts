"use server";
import { revalidatePath } from "next/cache";
import { currentTenantKey } from "@/lib/platform/keys/tenant-keys";
import { tenantAction } from "@/lib/platform/request-context/tenant-action";
import type { ActionState } from "@/lib/shared/action-state";
import { createApiKey, revokeApiKey } from "./service";
import { createApiKeySchema, revokeApiKeySchema } from "./schemas";

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
