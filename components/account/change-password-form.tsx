"use client";
import { changePasswordAction } from "@/lib/features/account/actions";
import { ActionForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";

export function ChangePasswordForm({ email }: { email: string }) {
  return (
    <ActionForm action={changePasswordAction} className="max-w-md space-y-4" noValidate>
      {(state) => (
        <>
          {/* For password managers: which account this password belongs to. */}
          <input type="hidden" name="username" autoComplete="username" value={email} readOnly />
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            errors={state.errors?.currentPassword}
          />
          <Field
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            hint="At least 12 characters and hard to guess: several uncommon words work well."
            errors={state.errors?.newPassword}
          />
          <SubmitButton pendingLabel="Changing…">Change password</SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
