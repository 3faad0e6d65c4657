import "server-only";
import type { z, ZodType } from "zod";
import { signIn } from "@/lib/platform/auth/auth";
import { formValues } from "@/lib/platform/http/form-values";
import { currentRequestMeta, type RequestMeta } from "@/lib/platform/http/request-meta";
import type { ActionState } from "@/lib/shared/action-state";
import { actionError, invalidForm, unreadableForm } from "./tenant-action";

/**
 * Server-action form for the two ways a person becomes a user (first-run setup, accepting an
 * invite with a new account): validate, create, then sign the new user in and open their
 * tenant. On a refusal the non-secret fields in `echo` are sent back so the form keeps them.
 */
export function signUpAction<S extends ZodType<{ email: string; password: string }>>(
  schema: S,
  echo: string[],
  create: (input: z.output<S>, meta: RequestMeta) => Promise<{ tenantId: string }>,
) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    const unreadable = unreadableForm(formData);
    if (unreadable) return unreadable;
    const values = formValues(formData, echo);
    const parsed = schema.safeParse(Object.fromEntries(formData.entries()));
    if (!parsed.success) return { ...invalidForm(parsed.error), values };
    let tenantId: string;
    try {
      ({ tenantId } = await create(parsed.data, await currentRequestMeta()));
    } catch (error) {
      return { ...actionError(error), values };
    }
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: `/t/${tenantId}`,
    });
    return {};
  };
}
