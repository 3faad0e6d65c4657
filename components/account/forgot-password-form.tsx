"use client";
import { forgotPasswordAction } from "@/lib/features/account/actions";
import { ActionForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";

export function ForgotPasswordForm() {
  return (
    <ActionForm action={forgotPasswordAction} messageAt="start" className="space-y-4" noValidate>
      {(state) => (
        <>
          <Field
            label="E-mail"
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={state.values?.email}
            errors={state.errors?.email}
          />
          <SubmitButton pendingLabel="Sending…" className="w-full">
            Send reset link
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
