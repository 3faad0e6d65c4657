import { ActionForm } from "@/components/ui/action-form";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { signInWithSsoAction } from "@/lib/features/sso/actions";
import { ssoConfiguration } from "@/lib/features/sso/queries";
import { signInErrorMessage } from "@/lib/features/sso/sign-in-error";

/** "Sign in with …" when the deployment has single sign-on; nothing otherwise. */
export function SsoSignIn({ callbackUrl }: { callbackUrl?: string | undefined }) {
  const config = ssoConfiguration();
  if (!config) return null;
  return (
    <ActionForm
      action={signInWithSsoAction}
      hiddenFields={{ callbackUrl }}
      messageAt="start"
      className="mt-4 space-y-2 border-t border-slate-200 pt-4"
    >
      <SubmitButton variant="secondary" pendingLabel="Redirecting…" className="w-full">
        {`Sign in with ${config.name}`}
      </SubmitButton>
    </ActionForm>
  );
}

/** The message of `/sign-in?error=…` (a refused single sign-on, or Auth.js's own codes). */
export function SignInError({ error }: { error: unknown }) {
  const message = signInErrorMessage(error);
  return message ? (
    <div className="mb-4">
      <FormMessage message={message} />
    </div>
  ) : null;
}
