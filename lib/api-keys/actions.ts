"use server";
import { revalidatePath } from "next/cache";
import { tenantAction, type ActionState } from "@/lib/tenancy/tenant-action";
import { createApiKey, revokeApiKey } from "./api-keys";
import { createApiKeySchema, revokeApiKeySchema } from "./schemas";

export const createApiKeyAction = tenantAction(
  "keys:write",
  createApiKeySchema,
  async (ctx, input): Promise<ActionState<{ key: string; prefix: string }>> => {
    const created = await createApiKey(ctx, input);
    revalidatePath(`/t/${ctx.tenantId}/api-keys`);
    return { ok: true, data: { key: created.key, prefix: created.prefix } };
  },
);

export const revokeApiKeyAction = tenantAction(
  "keys:write",
  revokeApiKeySchema,
  async (ctx, input) => {
    await revokeApiKey(ctx, input);
    revalidatePath(`/t/${ctx.tenantId}/api-keys`);
    return { ok: true, message: "API key revoked." };
  },
);
