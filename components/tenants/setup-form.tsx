"use client";
import { setupAction } from "@/lib/features/tenants/actions";
import { ActionForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";

export function SetupForm() {
  return (
    <ActionForm action={setupAction} messageAt="start" className="space-y-4" noValidate>
      {(state) => (
        <>
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
          <SubmitButton pendingLabel="Creating…" className="w-full">
            Create tenant and owner
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
