"use server";
import { signUpAction } from "@/lib/platform/request-context/sign-up-action";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/platform/auth/current-user";
import { formValues } from "@/lib/platform/http/form-values";
import { currentRequestMeta } from "@/lib/platform/http/request-meta";
import {
  actionError,
  invalidForm,
  unreadableForm,
} from "@/lib/platform/request-context/tenant-action";
import type { ActionState } from "@/lib/shared/action-state";
import { refusalMessage, tenantCreationRefusal } from "./creation-policy";
import { createTenantSchema, setupSchema } from "./schemas";
import { createTenant, runFirstSetup } from "./service";

export const setupAction = signUpAction(
  setupSchema,
  ["tenantName", "name", "email"],
  runFirstSetup,
);

export async function createTenantAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  const unreadable = unreadableForm(formData);
  if (unreadable) return unreadable;
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  const values = formValues(formData, ["tenantName"]);
  // Refused whatever was typed: correcting the name would not help.
  const refusal = await tenantCreationRefusal(user.userId);
  if (refusal) return { ...refusalMessage(refusal), values };
  const parsed = createTenantSchema.safeParse(Object.fromEntries(formData.entries()));
  if (!parsed.success) return { ...invalidForm(parsed.error), values };
  let tenantId: string;
  try {
    ({ tenantId } = await createTenant(user, parsed.data, await currentRequestMeta()));
  } catch (error) {
    return { ...actionError(error), values };
  }
  redirect(`/t/${tenantId}`);
}
