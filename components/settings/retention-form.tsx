"use client";
import { useActionState } from "react";
import { updateRetentionAction } from "@/lib/features/members/actions";
import type { ActionState } from "@/lib/platform/request-context/tenant-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";

export function RetentionForm({ tenantId, days }: { tenantId: string; days: number }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(updateRetentionAction, {});
  return (
    <form action={action} className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="tenantId" value={tenantId} />
      <Field
        label="Audit retention (days)"
        name="auditRetentionDays"
        type="number"
        defaultValue={days}
        errors={state.errors?.auditRetentionDays}
      />
      <Button type="submit" disabled={pending}>
        Save
      </Button>
      <FormMessage message={state.message} ok={state.ok} />
    </form>
  );
}
