"use server";
import { redirect } from "next/navigation";
import { signIn } from "@/lib/platform/auth/auth";
import { currentUser } from "@/lib/platform/auth/current-user";
import { formValues } from "@/lib/platform/http/form-values";
import { currentRequestMeta } from "@/lib/platform/http/request-meta";
import { actionError, invalidForm } from "@/lib/platform/request-context/tenant-action";
import type { ActionState } from "@/lib/shared/action-state";
import { createTenantSchema, setupSchema } from "./schemas";
import { createTenant, runFirstSetup } from "./service";

export async function setupAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const values = formValues(formData, ["tenantName", "name", "email"]);
  const parsed = setupSchema.safeParse(Object.fromEntries(formData.entries()));
  if (!parsed.success) return { ...invalidForm(parsed.error), values };
  let tenantId: string;
  try {
    ({ tenantId } = await runFirstSetup(parsed.data, await currentRequestMeta()));
  } catch (error) {
    return { ...actionError(error), values };
  }
  await signIn("credentials", {
    email: parsed.data.email,
    password: parsed.data.password,
    redirectTo: `/t/${tenantId}`,
  });
  return {};
}

export async function createTenantAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  const parsed = createTenantSchema.safeParse(Object.fromEntries(formData.entries()));
  if (!parsed.success)
    return { ...invalidForm(parsed.error), values: formValues(formData, ["tenantName"]) };
  const { tenantId } = await createTenant(user, parsed.data, await currentRequestMeta());
  redirect(`/t/${tenantId}`);
}
