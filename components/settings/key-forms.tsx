"use client";
import type { KmsProvider } from "@/lib/shared/kms-providers";
import { useState } from "react";
import { TenantForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { TenantActionButton } from "@/components/ui/tenant-action-button";
import { ConfirmDialog, PendingProgress } from "@/components/ui/confirm-dialog";
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
        description: (
          <>
            <p>
              A new vault key version is made and seals from now on; every credential already sealed
              is moved to it now (re-wrap), which can take a while for a large vault.
            </p>
            <p className="mt-2">
              This cannot be undone: the current version is retired for good. It keeps decrypting
              what it sealed, so nothing becomes unreadable.
            </p>
          </>
        ),
        confirmLabel: "Rotate vault key",
      }}
      pendingLabel="Rotating…"
      progress="Rotating the vault key and moving sealed credentials to it…"
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
            description={
              <>
                <p>
                  The new key is published now, endorsed by the current one, and signs envelopes and
                  audit checkpoints from the switch-over (0 hours: at once). SDK clients follow the
                  endorsement on their own; anything else that pins the fingerprint must fetch GET
                  /api/v2/keys before then.
                </p>
                <p className="mt-2">
                  This cannot be undone: the current key stops signing at the switch-over for good.
                  It keeps verifying what it signed.
                </p>
              </>
            }
            confirmLabel="Rotate signing key"
            pendingLabel="Rotating…"
            progress="Making and publishing the new signing key…"
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
          <div className="flex flex-wrap items-center gap-2">
            <SubmitButton pendingLabel="Saving and re-wrapping…">Save and re-wrap</SubmitButton>
            <PendingProgress label="Re-wrapping keys and sealed values under the new KMS settings…" />
          </div>
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
        description: (
          <>
            <p>
              The tenant&apos;s keys and every sealed value are wrapped again under the current KMS
              settings and the newest vault key. It can take a while for a large vault; if it stops
              half-way, every value stays readable and running it again finishes the job.
            </p>
            <p className="mt-2">
              This cannot be undone: the previous wrapping of each value is replaced. No value
              changes, and none is shown to anyone.
            </p>
          </>
        ),
        confirmLabel: "Re-wrap now",
      }}
      pendingLabel="Re-wrapping…"
      progress="Re-wrapping keys and sealed values…"
    >
      Re-wrap now
    </TenantActionButton>
  );
}
