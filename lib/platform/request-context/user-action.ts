import "server-only";
import { FIELD_ERRORS_MESSAGE } from "@/lib/platform/errors/field-errors";
import type { z, ZodType } from "zod";
import { getDb } from "@/db";
import { currentUser } from "@/lib/platform/auth/current-user";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { stepUpNeeded } from "@/lib/platform/auth/step-up";
import { AppError } from "@/lib/platform/errors/app-error";
import { currentRequestMeta, type RequestMeta } from "@/lib/platform/http/request-meta";
import type { ActionState } from "@/lib/shared/action-state";
import {
  actionError,
  formToObject,
  invalidForm,
  STEP_UP_MESSAGE,
  unreadableForm,
  unsafeFields,
} from "./tenant-action";

/** The signed-in member acting on their own account (not in a tenant). */
export interface UserContext {
  user: SessionUser;
  meta: RequestMeta;
}

/**
 * Server-action form of the chokepoint for a member's own account (password, second factors,
 * sessions): a complete session is required (a pending second factor is not signed in), the
 * form is checked as tenantAction checks it, and with `stepUp` the action needs a recent proof.
 */
export function userAction<S extends ZodType, T = undefined>(
  schema: S,
  run: (ctx: UserContext, input: z.output<S>) => Promise<ActionState<T>>,
  options: { stepUp?: boolean } = {},
) {
  return async (_prev: ActionState<T>, formData: FormData): Promise<ActionState<T>> => {
    const unreadable = unreadableForm<T>(formData);
    if (unreadable) return unreadable;
    const raw = formToObject(formData);
    const unsafe = unsafeFields(raw);
    if (unsafe) return { message: FIELD_ERRORS_MESSAGE, errors: unsafe };
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return invalidForm(parsed.error);
    try {
      const user = await currentUser();
      if (!user) throw new AppError("unauthenticated", "Sign in to continue.");
      if (options.stepUp) {
        const stepUp = await stepUpNeeded(getDb(), user);
        if (stepUp) return { message: STEP_UP_MESSAGE, stepUp };
      }
      return await run({ user, meta: await currentRequestMeta() }, parsed.data);
    } catch (error) {
      return actionError(error);
    }
  };
}
