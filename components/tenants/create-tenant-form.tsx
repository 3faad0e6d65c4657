"use client";
import { useActionState } from "react";
import { createTenantAction } from "@/lib/features/members/actions";
import type { ActionState } from "@/lib/platform/request-context/tenant-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";

export function CreateTenantForm() {
  const [state, action, pending] = useActionState<ActionState, FormData>(createTenantAction, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage message={state.message} />
      <Field
        label="Tenant name"
        name="tenantName"
        required
        defaultValue={state.values?.tenantName}
        errors={state.errors?.tenantName}
      />
      <Button type="submit" disabled={pending} className="w-full">
        Create tenant
      </Button>
    </form>
  );
}
