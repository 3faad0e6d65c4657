"use server";
import { revalidatePath } from "next/cache";
import { AuthError } from "next-auth";
import { signIn } from "@/lib/platform/auth/auth";
import { tenantAction, unreadableForm } from "@/lib/platform/request-context/tenant-action";
import type { ActionState } from "@/lib/shared/action-state";
import { safeRedirectPath } from "@/lib/features/auth/safe-redirect";
import { SECOND_FACTOR_PATH } from "@/lib/shared/paths";
import { ssoConfiguration } from "./queries";
import { SSO_UNAVAILABLE } from "./sign-in-error";
import { addMappingSchema, changeMappingSchema, mappingIdSchema } from "./schemas";
import { addMapping, changeMapping, removeMapping } from "./service";

const settingsPath = (tenantId: string) => `/t/${tenantId}/settings`;

export const addMappingAction = tenantAction(
  "owners:manage",
  addMappingSchema,
  async (ctx, input) => {
    await addMapping(ctx, input);
    revalidatePath(settingsPath(ctx.tenantId));
    return { ok: true, message: `${input.domain} mapped.` };
  },
);

export const changeMappingAction = tenantAction(
  "owners:manage",
  changeMappingSchema,
  async (ctx, input) => {
    await changeMapping(ctx, input);
    revalidatePath(settingsPath(ctx.tenantId));
    return { ok: true, message: "Mapping saved." };
  },
);

export const removeMappingAction = tenantAction(
  "owners:manage",
  mappingIdSchema,
  async (ctx, input) => {
    await removeMapping(ctx, input);
    revalidatePath(settingsPath(ctx.tenantId));
    return { ok: true, message: "Mapping removed." };
  },
);

/**
 * Starts a single sign-on at the deployment's issuer: Auth.js answers with a redirect there
 * (thrown, as Next.js redirects are). The way back is a same-origin path only, through the
 * second step: it asks a member with a second factor for it, and forwards the others at once.
 */
export async function signInWithSsoAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  const unreadable = unreadableForm(formData);
  if (unreadable) return unreadable;
  if (!ssoConfiguration()) return { message: "Single sign-on is not configured here." };
  try {
    await signIn("oidc", {
      redirectTo: `${SECOND_FACTOR_PATH}?callbackUrl=${encodeURIComponent(
        safeRedirectPath(formData.get("callbackUrl")),
      )}`,
    });
  } catch (error) {
    // Auth.js could not reach the issuer (discovery failed): say so, never its message.
    if (error instanceof AuthError) {
      return { message: SSO_UNAVAILABLE };
    }
    throw error; // the redirect to the issuer
  }
  return {};
}
