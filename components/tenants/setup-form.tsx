"use client";
import { useActionState } from "react";
import { setupAction } from "@/lib/features/members/actions";
import type { ActionState } from "@/lib/platform/request-context/tenant-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";

export function SetupForm() {
  const [state, action, pending] = useActionState<ActionState, FormData>(setupAction, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage message={state.message} />
      <Field
        label="Organisation (tenant) name"
        name="tenantName"
        required
        defaultValue={state.values?.tenantName}
        errors={state.errors?.tenantName}
      />
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
        {pending ? "Creating…" : "Create tenant and owner"}
      </Button>
    </form>
  );
}
