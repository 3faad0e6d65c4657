"use client";
import { updateRetentionAction } from "@/lib/features/settings/actions";
import { TenantForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";

export function RetentionForm({ tenantId, days }: { tenantId: string; days: number }) {
  return (
    <TenantForm
      action={updateRetentionAction}
      tenantId={tenantId}
      className="flex flex-wrap items-end gap-2"
    >
      {(state) => (
        <>
          <Field
            label="Audit retention (days)"
            name="auditRetentionDays"
            type="number"
            defaultValue={days}
            errors={state.errors?.auditRetentionDays}
          />
          <SubmitButton>Save</SubmitButton>
        </>
      )}
    </TenantForm>
  );
}
