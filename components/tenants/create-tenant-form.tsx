"use client";
import { createTenantAction } from "@/lib/features/tenants/actions";
import { ActionForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";

export function CreateTenantForm() {
  return (
    <ActionForm action={createTenantAction} messageAt="start" className="space-y-4" noValidate>
      {(state) => (
        <>
          <Field
            label="Tenant name"
            name="tenantName"
            required
            defaultValue={state.values?.tenantName}
            errors={state.errors?.tenantName}
          />
          <SubmitButton pendingLabel="Creating…" className="w-full">
            Create tenant
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
