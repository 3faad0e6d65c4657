"use client";
import { useState } from "react";
import { TenantForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { TenantActionButton } from "@/components/ui/tenant-action-button";
import {
  deleteCredentialAction,
  rotateCredentialAction,
  sealCredentialAction,
  verifyCredentialAction,
} from "@/lib/features/vault/actions";
import { CREDENTIAL_TYPES, type CredentialType } from "@/lib/features/vault/schemas";
import { CredentialFields } from "./credential-fields";

const TYPE_LABELS: Record<CredentialType, string> = {
  basic_auth: "Account SID + Auth Token (basic_auth)",
  api_key: "API Key SID + secret (api_key)",
  webhook_secret: "Webhook signing secret (webhook_secret)",
};

export function SealCredentialForm({ tenantId }: { tenantId: string }) {
  const [type, setType] = useState<CredentialType>("basic_auth");
  return (
    <TenantForm
      action={sealCredentialAction}
      tenantId={tenantId}
      className="space-y-3"
      autoComplete="off"
    >
      {(state) => (
        <>
          <Select
            label="Credential type"
            name="credential_type"
            value={type}
            onChange={(e) => setType(e.target.value as CredentialType)}
          >
            {CREDENTIAL_TYPES.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </Select>
          <Field label="Name" name="name" required errors={state.errors?.name} />
          <CredentialFields type={type} errors={state.errors} />
          <p className="text-xs text-slate-600">
            {type === "webhook_secret"
              ? "A webhook signing secret is sealed as typed: Twilio has no way to check it."
              : "Twilio is asked to accept these values first (an account lookup that changes nothing); values it refuses are not sealed."}
          </p>
          <SubmitButton>Seal credential</SubmitButton>
        </>
      )}
    </TenantForm>
  );
}

export function RotateCredentialForm({
  tenantId,
  credentialId,
  type,
  graceSeconds,
}: {
  tenantId: string;
  credentialId: string;
  type: CredentialType;
  graceSeconds: number;
}) {
  return (
    <details className="text-sm">
      <summary className="text-brand-700 cursor-pointer">Rotate</summary>
      <TenantForm
        action={rotateCredentialAction}
        tenantId={tenantId}
        hiddenFields={{ credentialId }}
        className="mt-2 space-y-2"
        autoComplete="off"
      >
        {(state) => (
          <>
            <CredentialFields type={type} errors={state.errors} />
            <Field
              label="Grace period for the old version (seconds)"
              name="grace_seconds"
              type="number"
              min={0}
              defaultValue={graceSeconds}
              hint="The previous version keeps validating webhooks this long."
              errors={state.errors?.grace_seconds}
            />
            <SubmitButton>Rotate</SubmitButton>
          </>
        )}
      </TenantForm>
    </details>
  );
}

/** Asks Twilio again whether the sealed values still work (an Auth Token may be rotated there). */
export function VerifyCredentialButton({
  tenantId,
  credentialId,
  name,
}: {
  tenantId: string;
  credentialId: string;
  name: string;
}) {
  return (
    <TenantActionButton
      action={verifyCredentialAction}
      tenantId={tenantId}
      hiddenFields={{ credentialId }}
      buttonProps={{ "aria-label": `Check again: ${name}` }}
    >
      Check again
    </TenantActionButton>
  );
}

export function DeleteCredentialForm({
  tenantId,
  credentialId,
  name,
}: {
  tenantId: string;
  credentialId: string;
  name: string;
}) {
  return (
    <TenantActionButton
      action={deleteCredentialAction}
      tenantId={tenantId}
      hiddenFields={{ credentialId }}
      variant="danger"
      buttonProps={{ "aria-label": `Delete ${name}` }}
      confirm={{
        title: `Delete the credential “${name}”?`,
        description: "Its sealed values are destroyed; this cannot be undone.",
        confirmLabel: "Delete credential",
      }}
    >
      Delete
    </TenantActionButton>
  );
}
