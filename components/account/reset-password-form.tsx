"use client";
import { resetPasswordAction } from "@/lib/features/account/actions";
import { ActionForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";

export function ResetPasswordForm({ token }: { token: string }) {
  return (
    <ActionForm
      action={resetPasswordAction}
      hiddenFields={{ token }}
      messageAt="start"
      className="space-y-4"
      noValidate
    >
      {(state) => (
        <>
          <Field
            label="New password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            hint="At least 12 characters and hard to guess: several uncommon words work well."
            errors={state.errors?.password}
          />
          <Field
            label="Confirm new password"
            name="confirmPassword"
            type="password"
            autoComplete="new-password"
            required
            errors={state.errors?.confirmPassword}
          />
          <SubmitButton pendingLabel="Saving…" className="w-full">
            Set new password
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
