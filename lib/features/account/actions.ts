"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { env } from "@/lib/platform/config/env";
import { trustedForwarded } from "@/lib/platform/http/client-address";
import { afterResponse } from "@/lib/platform/http/after-response";
import { formValues } from "@/lib/platform/http/form-values";
import { currentHeaders, currentRequestMeta } from "@/lib/platform/http/request-meta";
import { logger } from "@/lib/platform/log/logger";
import { mailConfigured } from "@/lib/platform/mail/mailer";
import {
  actionError,
  invalidForm,
  unreadableForm,
} from "@/lib/platform/request-context/tenant-action";
import { userAction } from "@/lib/platform/request-context/user-action";
import type { ActionState } from "@/lib/shared/action-state";
import { FORGOT_PASSWORD_ANSWER, requestPasswordReset, resetPassword } from "./password-reset";
import {
  changePasswordSchema,
  forgotPasswordSchema,
  resetPasswordSchema,
  sessionIdSchema,
} from "./schemas";
import { changePassword, revokeOtherSessions, revokeOwnSession } from "./service";

export const changePasswordAction = userAction(changePasswordSchema, async (ctx, input) => {
  const { sessionsEnded } = await changePassword(ctx, input);
  return {
    ok: true,
    message:
      sessionsEnded > 0
        ? `Password changed. Your ${sessionsEnded} other session${sessionsEnded === 1 ? " was" : "s were"} signed out.`
        : "Password changed.",
  };
});

export const revokeSessionAction = userAction(sessionIdSchema, async (ctx, input) => {
  await revokeOwnSession(ctx, input);
  revalidatePath("/account/sessions");
  return { ok: true, message: "Session signed out." };
});

export const revokeOtherSessionsAction = userAction(z.object({}), async (ctx) => {
  const ended = await revokeOtherSessions(ctx);
  revalidatePath("/account/sessions");
  return { ok: true, message: `${ended} other session${ended === 1 ? "" : "s"} signed out.` };
});

/**
 * The origin reset links point at: PUBLIC_BASE_URL, else what a trusted proxy forwarded, else
 * the request's Host. Without PUBLIC_BASE_URL a forged Host header could point a victim's
 * mail at another site, so production deployments set it (.env.example says so).
 */
function linkOrigin(h: Headers | null): string {
  const base = env().PUBLIC_BASE_URL;
  if (base) return base;
  if (!h) return "http://localhost";
  const proto = trustedForwarded(h, "x-forwarded-proto") ?? "http";
  const host = trustedForwarded(h, "x-forwarded-host") ?? h.get("host") ?? "localhost";
  return `${proto}://${host}`;
}

/**
 * Answers the same for every well-formed e-mail, and sends the mail after the answer, so
 * neither the words nor the timing tell whether an account exists.
 */
export async function forgotPasswordAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  const unreadable = unreadableForm(formData);
  if (unreadable) return unreadable;
  const values = formValues(formData, ["email"]);
  const parsed = forgotPasswordSchema.safeParse({ email: formData.get("email") });
  if (!parsed.success) return { ...invalidForm(parsed.error), values };
  if (!mailConfigured()) {
    return {
      message: "E-mail is not set up here. Ask an owner or admin of your tenant for a reset link.",
      values,
    };
  }
  const origin = linkOrigin(await currentHeaders());
  const meta = await currentRequestMeta();
  await afterResponse(() =>
    requestPasswordReset(parsed.data, origin, meta).catch((error: unknown) => {
      logger().error({ err: error }, "password reset request failed");
    }),
  );
  return { ok: true, message: FORGOT_PASSWORD_ANSWER };
}

export async function resetPasswordAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  const unreadable = unreadableForm(formData);
  if (unreadable) return unreadable;
  const parsed = resetPasswordSchema.safeParse(Object.fromEntries(formData.entries()));
  if (!parsed.success) return invalidForm(parsed.error);
  try {
    await resetPassword(parsed.data, await currentRequestMeta());
  } catch (error) {
    return actionError(error);
  }
  redirect("/sign-in?reset=done");
}
