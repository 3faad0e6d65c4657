"use client";
import { signInAction } from "@/lib/features/auth/actions";
import { ActionForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
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
          <Field
            label="E-mail"
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={state.values?.email}
            errors={state.errors?.email}
          />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            errors={state.errors?.password}
          />
          <SubmitButton pendingLabel="Signing in…" className="w-full">
            Sign in
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
