"use client";
import type { KmsProvider } from "@/lib/shared/kms-providers";
import { useState } from "react";
import { TenantForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { TenantActionButton } from "@/components/ui/tenant-action-button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import {
  rewrapAction,
  rotateTenantKeyAction,
  updateKmsAction,
} from "@/lib/features/settings/actions";

export function RotateVaultKeyForm({ tenantId }: { tenantId: string }) {
  return (
    <TenantActionButton
      action={rotateTenantKeyAction}
      tenantId={tenantId}
      hiddenFields={{ kind: "vault" }}
      confirm={{
        title: "Rotate the vault key?",
        description:
          "New values are sealed to the new key, and what is already sealed is moved to it now (re-wrap job). The old version keeps decrypting until then.",
        confirmLabel: "Rotate vault key",
      }}
    >
      Rotate vault key
    </TenantActionButton>
  );
}

/**
 * The new signing key is published at once, endorsed by the current one, and signs only after
 * the switch-over (ENVELOPE.md §9.1), so SDK clients can fetch it first.
 */
export function RotateSigningKeyForm({
  tenantId,
  switchoverHours,
}: {
  tenantId: string;
  switchoverHours: number;
}) {
  return (
    <TenantForm
      action={rotateTenantKeyAction}
      tenantId={tenantId}
      hiddenFields={{ kind: "signing" }}
      className="flex flex-wrap items-end gap-2"
    >
      {(state) => (
        <>
          <Field
            label="Switch-over after (hours)"
            name="switchoverHours"
            type="number"
            min={0}
            max={720}
            defaultValue={switchoverHours}
            errors={state.errors?.switchoverHours}
          />
          <ConfirmDialog
            trigger="Rotate signing key"
            triggerProps={{ variant: "secondary" }}
            title="Rotate the signing key?"
            description="The new key is published now, endorsed by the current one, and signs envelopes and audit checkpoints from the switch-over. SDK clients follow the endorsement on their own; anything else that pins the fingerprint must fetch GET /api/v2/keys before then. 0 hours switches at once."
            confirmLabel="Rotate signing key"
          />
        </>
      )}
    </TenantForm>
  );
}

export function KmsForm({
  tenantId,
  provider,
  keyArn,
}: {
  tenantId: string;
  provider: KmsProvider;
  keyArn: string | null;
}) {
  const [chosen, setChosen] = useState(provider);
  return (
    <TenantForm action={updateKmsAction} tenantId={tenantId} className="space-y-3">
      {(state) => (
        <>
          <fieldset className="space-y-1 text-sm">
            <legend className="font-medium text-slate-700">Provider</legend>
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="provider"
                value="local"
                checked={chosen === "local"}
                onChange={() => setChosen("local")}
              />
              local — master key from PQSEAL_MASTER_KEY or the data folder
            </label>
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="provider"
                value="aws-kms"
                checked={chosen === "aws-kms"}
                onChange={() => setChosen("aws-kms")}
              />
              aws-kms — this tenant&apos;s own customer master key (envelope encryption)
            </label>
          </fieldset>
          {chosen === "aws-kms" ? (
            <Field
              label="KMS key ARN"
              name="keyArn"
              defaultValue={keyArn ?? ""}
              placeholder="arn:aws:kms:eu-west-1:123456789012:key/…"
              errors={state.errors?.keyArn}
            />
          ) : null}
          <SubmitButton>Save and re-wrap</SubmitButton>
        </>
      )}
    </TenantForm>
  );
}

export function RewrapForm({ tenantId }: { tenantId: string }) {
  return (
    <TenantActionButton
      action={rewrapAction}
      tenantId={tenantId}
      confirm={{
        title: "Re-wrap every sealed value now?",
        description:
          "Every sealed value is wrapped again under the current KMS and vault key. It can take a while for a large vault.",
        confirmLabel: "Re-wrap now",
      }}
    >
      Re-wrap now
    </TenantActionButton>
  );
}
