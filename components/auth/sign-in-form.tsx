"use client";
import { signInAction } from "@/lib/features/auth/actions";
import { ActionForm } from "@/components/ui/action-form";
import { AccountFields } from "@/components/auth/account-fields";
import { SubmitButton } from "@/components/ui/submit-button";

export function SignInForm({ callbackUrl }: { callbackUrl?: string | undefined }) {
  return (
    <ActionForm
      action={signInAction}
      hiddenFields={{ callbackUrl }}
      messageAt="start"
      className="space-y-4"
      noValidate
    >
      {(state) => (
        <>
          <AccountFields state={state} />
          <SubmitButton pendingLabel="Signing in…" className="w-full">
            Sign in
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
