"use client";
import { TenantForm } from "@/components/ui/action-form";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { TenantActionButton } from "@/components/ui/tenant-action-button";
import {
  configureForwardingAction,
  enableForwardingAction,
  replayAction,
} from "@/lib/features/webhooks/actions";

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
              Copy this forwarding secret now; it is shown once. Receivers verify each
              delivery&apos;s
              <code> webhook-signature</code> with it (Standard Webhooks) and derive the envelope
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
      <Select
        label="The previous secret keeps signing for"
        name="graceHours"
        defaultValue="24"
        hint="Both secrets sign during this time, so receivers can switch without losing deliveries. Choose none for a leaked secret."
      >
        <option value="0">none (stop at once)</option>
        <option value="1">1 hour</option>
        <option value="24">24 hours</option>
        <option value="72">3 days</option>
        <option value="168">7 days</option>
      </Select>
      <SubmitButton variant="secondary">Generate forwarding key</SubmitButton>
    </TenantForm>
  );
}

/** Turns forwarding back on after PQSeal disabled it (audited). */
export function EnableForwardingButton({
  tenantId,
  integrationId,
}: {
  tenantId: string;
  integrationId: string;
}) {
  return (
    <TenantActionButton
      action={enableForwardingAction}
      tenantId={tenantId}
      hiddenFields={{ integrationId }}
      size="sm"
      confirm={{
        title: "Re-enable forwarding?",
        description:
          "Deliveries to this forward URL start again. Make sure the receiver is back (or change the forward URL) first.",
        confirmLabel: "Re-enable",
      }}
    >
      Re-enable forwarding
    </TenantActionButton>
  );
}
