import "server-only";
import { redirect, unstable_rethrow } from "next/navigation";
import { z, type ZodType } from "zod";
import { AppError } from "@/lib/platform/errors/app-error";
import { FIELD_ERRORS_MESSAGE, fieldErrorsOf } from "@/lib/platform/errors/field-errors";
import { logger } from "@/lib/platform/log/logger";
import { MFA_ENROL_PATH } from "@/lib/shared/paths";
import type { Permission } from "./permissions";
import { resolveTenant, type TenantContext } from "./resolve-tenant";
import { stepUpFor } from "./step-up-gate";
import type { ActionState } from "@/lib/shared/action-state";
import { idSchema } from "@/lib/shared/ids";
import { textProblems } from "@/lib/shared/text";

const tenantIdField = z.object({ tenantId: idSchema("tenant") });

export const STEP_UP_MESSAGE = "Confirm it is you to continue: this action is sensitive.";

/**
 * A server action's arguments come from the request, not necessarily from our form: anything
 * React can serialise (a string, null, an object) may arrive where the FormData should be.
 * Such a call gets this answer, never an exception (which would be a 500).
 */
export function unreadableForm<T = undefined>(formData: unknown): ActionState<T> | null {
  return formData instanceof FormData
    ? null
    : { message: "The form could not be read. Reload the page and try again." };
}

/**
 * Server-action form of the chokepoint. Server actions are public POST endpoints, so each one
 * resolves the session and role itself; input is validated with zod before anything runs,
 * after a control character in any field (NUL, escapes; line breaks and tabs are kept) has
 * been refused for every action here. The tenant id in the form only names which membership
 * to use; resolveTenant checks it.
 */
export function tenantAction<S extends ZodType, T = undefined>(
  permission: Permission,
  schema: S,
  run: (ctx: TenantContext, input: z.output<S>) => Promise<ActionState<T>>,
) {
  return async (_prev: ActionState<T>, formData: FormData): Promise<ActionState<T>> => {
    const unreadable = unreadableForm<T>(formData);
    if (unreadable) return unreadable;
    const raw = formToObject(formData);
    const tenant = tenantIdField.safeParse(raw);
    if (!tenant.success) return { message: "The tenant is missing from the form." };
    const unsafe = unsafeFields(raw);
    if (unsafe) return { message: FIELD_ERRORS_MESSAGE, errors: unsafe };
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return invalidForm(parsed.error);
    try {
      const ctx = await resolveTenant(tenant.data.tenantId, permission);
      const stepUp = await stepUpFor(ctx, permission);
      if (stepUp) return { message: STEP_UP_MESSAGE, stepUp };
      return await run(ctx, parsed.data);
    } catch (error) {
      return actionError(error);
    }
  };
}

/** The answer to a form that failed validation: field errors beside the fields. */
export function invalidForm<T>(error: z.ZodError): ActionState<T> {
  return {
    message: FIELD_ERRORS_MESSAGE,
    errors: fieldErrorsOf(error, { topLevel: true }),
  };
}

export function actionError<T>(error: unknown): ActionState<T> {
  unstable_rethrow(error);
  if (error instanceof AppError) {
    if (error.code === "unauthenticated") redirect("/sign-in");
    if (error.code === "mfa_enrolment_required") redirect(MFA_ENROL_PATH);
    const fields = error.options.fieldErrors;
    // Errors beside their fields are not repeated above them (each error shows once).
    const besideFields = Object.keys(fields ?? {}).some((k) => k !== "_");
    return {
      message: besideFields ? FIELD_ERRORS_MESSAGE : error.message,
      errors: fields,
    };
  }
  logger().error({ err: error }, "server action failed");
  return { message: "Something went wrong on our side. Please try again." };
}

/**
 * The fields holding a control character (a field name one too, as read-json.ts refuses it in
 * an API body), each with the reason, or null when none does.
 */
export function unsafeFields(raw: Record<string, unknown>): Record<string, string[]> | null {
  const errors: Record<string, string[]> = {};
  for (const { path, inName, problem } of textProblems(raw, { values: "message", names: "line" })) {
    if (inName) errors._ = [`A field name: ${problem}`];
    else errors[path[0] ?? "_"] = [problem];
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

/** Form fields as an object; a field sent several times (checkboxes) becomes an array. */
export function formToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    const values = formData.getAll(key).filter((v): v is string => typeof v === "string");
    out[key] = values.length > 1 ? values : values[0];
  }
  return out;
}
