"use client";
import { acceptInviteAction, acceptInviteSignUpAction } from "@/lib/features/members/actions";
import { ActionForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";

export function AcceptInviteForm({ token }: { token: string }) {
  return (
    <ActionForm
      action={acceptInviteAction}
      hiddenFields={{ token }}
      messageAt="start"
      className="space-y-4"
    >
      <SubmitButton className="w-full">Join tenant</SubmitButton>
    </ActionForm>
  );
}

export function InviteSignUpForm({ token }: { token: string }) {
  return (
    <ActionForm
      action={acceptInviteSignUpAction}
      hiddenFields={{ token }}
      messageAt="start"
      className="space-y-4"
      noValidate
    >
      {(state) => (
        <>
          <Field
            label="Your name"
            name="name"
            autoComplete="name"
            required
            defaultValue={state.values?.name}
            errors={state.errors?.name}
          />
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
            autoComplete="new-password"
            required
            hint="At least 12 characters."
            errors={state.errors?.password}
          />
          <SubmitButton pendingLabel="Creating account…" className="w-full">
            Create account and join
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
