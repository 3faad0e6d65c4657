"use client";
import { TenantForm } from "@/components/ui/action-form";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { TenantActionButton } from "@/components/ui/tenant-action-button";
import { configureForwardingAction, replayAction } from "@/lib/features/webhooks/actions";

export function ReplayForm({
  tenantId,
  integrationId,
  deliveryId,
  label,
}: {
  tenantId: string;
  integrationId: string;
  deliveryId?: string;
  label: string;
}) {
  return (
    <TenantActionButton
      action={replayAction}
      tenantId={tenantId}
      hiddenFields={{ integrationId, deliveryId }}
      size="sm"
      className="inline-flex"
    >
      {label}
    </TenantActionButton>
  );
}

export function ForwardingForm({
  tenantId,
  integrationId,
  clientKeys,
}: {
  tenantId: string;
  integrationId: string;
  clientKeys: { id: string; name: string }[];
}) {
  return (
    <TenantForm
      action={configureForwardingAction}
      tenantId={tenantId}
      hiddenFields={{ integrationId }}
      className="space-y-2 text-sm"
      result={(state) =>
        state.ok && state.data ? (
          <OneTimeSecret label="Forwarding secret" value={state.data.secret}>
            <p className="mb-1 font-medium">
              Copy this forwarding secret now; it is shown once. The receiver derives the envelope
              HMAC key from it exactly as from an API key (ENVELOPE.md §5).
            </p>
          </OneTimeSecret>
        ) : null
      }
    >
      <Select label="Encrypt forwarded events to client key" name="clientKeyId">
        {clientKeys.map((k) => (
          <option key={k.id} value={k.id}>
            {k.name} ({k.id})
          </option>
        ))}
      </Select>
      <SubmitButton variant="secondary">Generate forwarding key</SubmitButton>
    </TenantForm>
  );
}
