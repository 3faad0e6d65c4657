"use server";
import { revalidatePath } from "next/cache";
import { AppError } from "@/lib/platform/errors/app-error";
import { findIntegration } from "@/lib/features/integrations/queries";
import { tenantAction } from "@/lib/platform/request-context/tenant-action";
import type { ActionState } from "@/lib/shared/action-state";
import { configureForwarding, replayDeliveries } from "./forward";
import { enableForwarding } from "./endpoint-health";
import {
  enableForwardingSchema,
  forwardingSchema,
  intakeAuthSchema,
  replaySchema,
} from "./schemas";
import { currentHeaders } from "@/lib/platform/http/request-meta";
import { withIntakeCredentials } from "./intake-auth";
import { publicOrigin } from "./public-url";
import { intakeUrls } from "./queries";
import { removeIntakeAuth, setIntakeAuth } from "./set-intake-auth";

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
    const secret = await configureForwarding(ctx, integration.id, input.clientKeyId, {
      graceHours: input.graceHours,
    });
    revalidatePath(`/t/${ctx.tenantId}/webhooks`);
    return { ok: true, data: { secret } };
  },
);

export const enableForwardingAction = tenantAction(
  "integrations:write",
  enableForwardingSchema,
  async (ctx, input) => {
    const integration = await findIntegration(ctx.tenantId, input.integrationId);
    if (!integration) throw new AppError("not_found", "Integration not found.");
    const enabled = await enableForwarding(ctx, integration.id);
    revalidatePath(`/t/${ctx.tenantId}/webhooks`);
    revalidatePath(`/t/${ctx.tenantId}`);
    return {
      ok: true,
      message: enabled
        ? "Forwarding is on again. Replay the dead-lettered deliveries to send what was stopped."
        : "Forwarding was not disabled.",
    };
  },
);

/** Turn on or regenerate intake credentials: the credentialed URLs are in this answer only. */
export const setIntakeAuthAction = tenantAction(
  "integrations:write",
  intakeAuthSchema,
  async (ctx, input): Promise<ActionState<{ urls: { kind: string; url: string }[] }>> => {
    const integration = await findIntegration(ctx.tenantId, input.integrationId);
    if (!integration) throw new AppError("not_found", "Integration not found.");
    const { username, password } = await setIntakeAuth(ctx, integration.id);
    // The origin the intake checks signatures against (public-url.ts), as the page shows it.
    const origin = publicOrigin((await currentHeaders()) ?? new Headers());
    const urls = intakeUrls(integration.id, origin).map((u) => ({
      kind: u.kind,
      url: withIntakeCredentials(u.url, username, password),
    }));
    revalidatePath(`/t/${ctx.tenantId}/webhooks`);
    return { ok: true, data: { urls } };
  },
);

export const removeIntakeAuthAction = tenantAction(
  "integrations:write",
  intakeAuthSchema,
  async (ctx, input) => {
    const integration = await findIntegration(ctx.tenantId, input.integrationId);
    if (!integration) throw new AppError("not_found", "Integration not found.");
    await removeIntakeAuth(ctx, integration.id);
    revalidatePath(`/t/${ctx.tenantId}/webhooks`);
    return { ok: true, message: "Intake credentials turned off: update the URLs in Twilio." };
  },
);
