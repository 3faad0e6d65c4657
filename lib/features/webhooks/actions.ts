"use server";
import { revalidatePath } from "next/cache";
import { AppError } from "@/lib/platform/errors/app-error";
import { findIntegration } from "@/lib/features/integrations/queries";
import { tenantAction } from "@/lib/platform/request-context/tenant-action";
import type { ActionState } from "@/lib/shared/action-state";
import { configureForwarding, replayDeliveries } from "./forward";
import { forwardingSchema, replaySchema } from "./schemas";

export const replayAction = tenantAction("integrations:write", replaySchema, async (ctx, input) => {
  const integration = await findIntegration(ctx.tenantId, input.integrationId);
  if (!integration) throw new AppError("not_found", "Integration not found.");
  const count = await replayDeliveries(ctx, integration.id, input.deliveryId);
  revalidatePath(`/t/${ctx.tenantId}/webhooks`);
  return { ok: true, message: `${count} deliver${count === 1 ? "y" : "ies"} queued again.` };
});

export const configureForwardingAction = tenantAction(
  "integrations:write",
  forwardingSchema,
  async (ctx, input): Promise<ActionState<{ secret: string }>> => {
    const integration = await findIntegration(ctx.tenantId, input.integrationId);
    if (!integration) throw new AppError("not_found", "Integration not found.");
    const secret = await configureForwarding(ctx, integration.id, input.clientKeyId);
    revalidatePath(`/t/${ctx.tenantId}/webhooks`);
    return { ok: true, data: { secret } };
  },
);
