"use client";
import { useActionState } from "react";
import { acceptInviteAction, acceptInviteSignUpAction } from "@/lib/features/members/actions";
import type { ActionState } from "@/lib/platform/request-context/tenant-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";

export function AcceptInviteForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(acceptInviteAction, {});
  return (
    <form action={action} className="space-y-4">
      <FormMessage message={state.message} />
      <input type="hidden" name="token" value={token} />
      <Button type="submit" disabled={pending} className="w-full">
        Join tenant
      </Button>
    </form>
  );
}

export function InviteSignUpForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(
    acceptInviteSignUpAction,
    {},
  );
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage message={state.message} />
      <input type="hidden" name="token" value={token} />
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
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Creating account…" : "Create account and join"}
      </Button>
    </form>
  );
}
