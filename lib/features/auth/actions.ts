"use server";
import { invalidForm, unreadableForm } from "@/lib/platform/request-context/tenant-action";
import { AuthError, CredentialsSignin } from "next-auth";
import { formValues } from "@/lib/platform/http/form-values";
import { currentRequestMeta } from "@/lib/platform/http/request-meta";
import { auditInTenants } from "@/lib/platform/auth/authenticate";
import { getDb } from "@/db";
import { signIn, signOut } from "@/lib/platform/auth/auth";
import { currentPendingUser, currentUser } from "@/lib/platform/auth/current-user";
import { safeRedirectPath } from "./safe-redirect";
import { signInSchema } from "@/lib/platform/auth/schemas";
import { SIGN_IN_MESSAGES } from "./sign-in-messages";
import { SECOND_FACTOR_PATH } from "@/lib/shared/paths";
import { revokeSession } from "@/lib/platform/auth/sessions";

export interface SignInState {
  message?: string;
  code?: string;
  errors?: Record<string, string[] | undefined>;
  values?: Record<string, string>;
}

export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const unreadable = unreadableForm(formData);
  if (unreadable) return unreadable;
  const values = formValues(formData, ["email"]);
  const parsed = signInSchema.safeParse(Object.fromEntries(formData.entries()));
  if (!parsed.success) {
    return { ...invalidForm(parsed.error), values, message: "Enter your e-mail and password." };
  }
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      // Always through the second step: it asks for the second factor when the member has one,
      // and forwards at once otherwise (the session's state is known only after this call).
      redirectTo: `${SECOND_FACTOR_PATH}?callbackUrl=${encodeURIComponent(
        safeRedirectPath(parsed.data.callbackUrl),
      )}`,
    });
    return {};
  } catch (error) {
    if (error instanceof AuthError) {
      const code = error instanceof CredentialsSignin ? error.code : "invalid_credentials";
      return {
        code,
        values,
        message: SIGN_IN_MESSAGES[code] ?? SIGN_IN_MESSAGES.invalid_credentials,
      };
    }
    throw error; // the redirect after a successful sign-in
  }
}

export async function signOutAction(): Promise<void> {
  // A session still waiting for its second factor is ended too, not just forgotten by the cookie.
  const user = (await currentUser()) ?? (await currentPendingUser());
  if (user) {
    const meta = await currentRequestMeta();
    await getDb().transaction(async (tx) => {
      await revokeSession(tx, user.sessionId);
      await auditInTenants(
        tx,
        { id: user.userId, email: user.email },
        "auth.sign_out",
        "succeeded",
        meta,
        {
          session_id: user.sessionId,
        },
      );
    });
  }
  await signOut({ redirectTo: "/sign-in" });
}
