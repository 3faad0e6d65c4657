"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { tenantAction } from "@/lib/platform/request-context/tenant-action";
import { idSchema } from "@/lib/shared/ids";
import { createFromForm, updateFromForm } from "./schemas";
import { createIntegration, deleteIntegration, updateIntegration } from "./service";

const anyForm = z.looseObject({});
const withId = z.looseObject({ integrationId: idSchema("integration", "Choose an integration.") });

export const createIntegrationAction = tenantAction(
  "integrations:write",
  anyForm,
  async (ctx, raw) => {
    const created = await createIntegration(ctx, createFromForm(raw));
    revalidatePath(`/t/${ctx.tenantId}/integrations`);
    redirect(`/t/${ctx.tenantId}/integrations/${created.id}`);
  },
);

export const updateIntegrationAction = tenantAction(
  "integrations:write",
  withId,
  async (ctx, raw) => {
    await updateIntegration(ctx, raw.integrationId, updateFromForm(raw));
    revalidatePath(`/t/${ctx.tenantId}/integrations`);
    return { ok: true, message: "Saved." };
  },
);

export const deleteIntegrationAction = tenantAction(
  "integrations:write",
  withId,
  async (ctx, raw) => {
    await deleteIntegration(ctx, raw.integrationId);
    revalidatePath(`/t/${ctx.tenantId}/integrations`);
    redirect(`/t/${ctx.tenantId}/integrations`);
  },
);
