"use client";
import { updateMfaPolicyAction } from "@/lib/features/settings/actions";
import { TenantForm } from "@/components/ui/action-form";
import { Checkbox } from "@/components/ui/checkbox";
import { SubmitButton } from "@/components/ui/submit-button";

/** Owners' policy: every member must have a second factor before using the tenant. */
export function MfaPolicyForm({ tenantId, requireMfa }: { tenantId: string; requireMfa: boolean }) {
  return (
    <TenantForm
      action={updateMfaPolicyAction}
      tenantId={tenantId}
      className="flex flex-wrap items-center gap-3"
    >
      <Checkbox
        name="requireMfa"
        defaultChecked={requireMfa}
        label="Require a second factor (passkey or authenticator app) for every member"
      />
      <SubmitButton>Save policy</SubmitButton>
    </TenantForm>
  );
}
