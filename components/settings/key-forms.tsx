"use client";
import type { KmsProvider } from "@/lib/shared/kms-providers";
import { useState } from "react";
import { TenantForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { TenantActionButton } from "@/components/ui/tenant-action-button";
import {
  rewrapAction,
  rotateTenantKeyAction,
  updateKmsAction,
} from "@/lib/features/settings/actions";

const ROTATE_WARNING = {
  signing:
    "New envelopes and audit checkpoints are signed with the new key. Clients that pin the current fingerprint must pin the new one; older versions keep verifying.",
  vault:
    "New values are sealed to the new key, and what is already sealed is moved to it now (re-wrap job). The old version keeps decrypting until then.",
} as const;

export function RotateKeyForm({ tenantId, kind }: { tenantId: string; kind: "signing" | "vault" }) {
  return (
    <TenantActionButton
      action={rotateTenantKeyAction}
      tenantId={tenantId}
      hiddenFields={{ kind }}
      confirm={{
        title: `Rotate the ${kind} key?`,
        description: ROTATE_WARNING[kind],
        confirmLabel: `Rotate ${kind} key`,
      }}
    >
      Rotate {kind} key
    </TenantActionButton>
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
