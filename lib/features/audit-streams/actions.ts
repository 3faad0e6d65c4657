"use server";
import { revalidatePath } from "next/cache";
import { tenantAction } from "@/lib/platform/request-context/tenant-action";
import type { ActionState } from "@/lib/shared/action-state";
import {
  createStreamSchema,
  rotateStreamSecretSchema,
  setStreamEnabledSchema,
  streamIdSchema,
} from "./schemas";
import { createStream, deleteStream, rotateStreamSecret, setStreamEnabled } from "./service";

const settingsPath = (tenantId: string) => `/t/${tenantId}/settings`;

/** Creates a stream; a webhook stream's signing secret is in this answer only. */
export const createStreamAction = tenantAction(
  "settings:write",
  createStreamSchema,
  async (ctx, input): Promise<ActionState<{ secret: string | null }>> => {
    const { secret } = await createStream(ctx, input);
    revalidatePath(settingsPath(ctx.tenantId));
    return { ok: true, message: `Stream "${input.name}" created.`, data: { secret } };
  },
);

export const setStreamEnabledAction = tenantAction(
  "settings:write",
  setStreamEnabledSchema,
  async (ctx, input) => {
    await setStreamEnabled(ctx, input.streamId, input.enabled);
    revalidatePath(settingsPath(ctx.tenantId));
    return {
      ok: true,
      message: input.enabled
        ? "Stream enabled: it sends every event since it stopped."
        : "Stream disabled: it keeps its place and resumes from there.",
    };
  },
);

/** A webhook stream's new signing secret is in this answer only. */
export const rotateStreamSecretAction = tenantAction(
  "settings:write",
  rotateStreamSecretSchema,
  async (ctx, input): Promise<ActionState<{ secret: string | null }>> => {
    const secret = await rotateStreamSecret(ctx, input.streamId, input.secret);
    revalidatePath(settingsPath(ctx.tenantId));
    return { ok: true, message: "Secret replaced: the next batch uses it.", data: { secret } };
  },
);

export const deleteStreamAction = tenantAction(
  "settings:write",
  streamIdSchema,
  async (ctx, input) => {
    await deleteStream(ctx, input.streamId);
    revalidatePath(settingsPath(ctx.tenantId));
    return { ok: true, message: "Stream deleted." };
  },
);
