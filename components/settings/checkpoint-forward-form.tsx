"use client";
import { updateCheckpointForwardingAction } from "@/lib/features/settings/actions";
import { TenantForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";

export function CheckpointForwardForm({ tenantId, url }: { tenantId: string; url: string | null }) {
  return (
    <TenantForm
      action={updateCheckpointForwardingAction}
      tenantId={tenantId}
      className="flex flex-wrap items-end gap-2"
    >
      {(state) => (
        <>
          <Field
            label="Checkpoint forward URL"
            name="checkpointForwardUrl"
            type="url"
            placeholder="https://evidence.example.com/pqseal-checkpoints"
            defaultValue={state.values?.checkpointForwardUrl ?? url ?? ""}
            errors={state.errors?.checkpointForwardUrl}
            wrapperClassName="min-w-72 flex-1"
          />
          <SubmitButton>Save</SubmitButton>
        </>
      )}
    </TenantForm>
  );
}
