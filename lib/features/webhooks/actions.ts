"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { AppError } from "@/lib/platform/errors/app-error";
import { findIntegration } from "@/lib/features/integrations/queries";
import { tenantAction } from "@/lib/platform/request-context/tenant-action";
import type { ActionState } from "@/lib/shared/action-state";
import { configureForwarding, replayDeliveries } from "./forward";

const replaySchema = z.object({
  integrationId: z.string().min(1).max(64),
  deliveryId: z.string().max(64).optional(),
});

export const replayAction = tenantAction("integrations:write", replaySchema, async (ctx, input) => {
  const integration = await findIntegration(ctx.tenantId, input.integrationId);
  if (!integration) throw new AppError("not_found", "Integration not found.");
  const count = await replayDeliveries(ctx, integration.id, input.deliveryId);
  revalidatePath(`/t/${ctx.tenantId}/webhooks`);
  return { ok: true, message: `${count} deliver${count === 1 ? "y" : "ies"} queued again.` };
});

const forwardingSchema = z.object({
  integrationId: z.string().min(1).max(64),
  clientKeyId: z.string().min(1, "Choose the receiver's client key.").max(64),
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
