"use client";
import { setupAction } from "@/lib/features/tenants/actions";
import { ActionForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { AccountFields } from "@/components/auth/account-fields";
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
          <AccountFields state={state} creating />
          <SubmitButton pendingLabel="Creating…" className="w-full">
            Create tenant and owner
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
