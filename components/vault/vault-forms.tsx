"use client";
import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import {
  deleteCredentialAction,
  rotateCredentialAction,
  sealCredentialAction,
} from "@/lib/features/vault/actions";
import { CREDENTIAL_TYPES, type CredentialType } from "@/lib/features/vault/schemas";
import type { ActionState } from "@/lib/platform/request-context/tenant-action";
import { CredentialFields } from "./credential-fields";

const TYPE_LABELS: Record<CredentialType, string> = {
  basic_auth: "Account SID + Auth Token (basic_auth)",
  api_key: "API Key SID + secret (api_key)",
  webhook_secret: "Webhook signing secret (webhook_secret)",
};

export function SealCredentialForm({ tenantId }: { tenantId: string }) {
  const [type, setType] = useState<CredentialType>("basic_auth");
  const [state, action, pending] = useActionState<ActionState, FormData>(sealCredentialAction, {});
  return (
    // A new key after each success clears the secret inputs.
    <form action={action} className="space-y-3" autoComplete="off">
      <input type="hidden" name="tenantId" value={tenantId} />
      <label className="block text-sm">
        <span className="font-medium text-slate-700">Credential type</span>
        <select
          name="credential_type"
          value={type}
          onChange={(e) => setType(e.target.value as CredentialType)}
          className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-2 text-sm"
        >
          {CREDENTIAL_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </label>
      <Field label="Name" name="name" required errors={state.errors?.name} />
      <CredentialFields type={type} errors={state.errors} />
      <Button type="submit" disabled={pending}>
        Seal credential
      </Button>
      <FormMessage message={state.message} ok={state.ok} />
    </form>
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
  const [state, action, pending] = useActionState<ActionState, FormData>(
    rotateCredentialAction,
    {},
  );
  return (
    <details className="text-sm">
      <summary className="text-brand-700 cursor-pointer">Rotate</summary>
      <form action={action} className="mt-2 space-y-2" autoComplete="off">
        <input type="hidden" name="tenantId" value={tenantId} />
        <input type="hidden" name="credentialId" value={credentialId} />
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
        <Button type="submit" disabled={pending}>
          Rotate
        </Button>
        <FormMessage message={state.message} ok={state.ok} />
      </form>
    </details>
  );
}

export function DeleteCredentialForm({
  tenantId,
  credentialId,
}: {
  tenantId: string;
  credentialId: string;
}) {
  const [state, action, pending] = useActionState<ActionState, FormData>(
    deleteCredentialAction,
    {},
  );
  return (
    <form
      action={action}
      className="flex items-center gap-2"
      onSubmit={(e) => {
        if (!confirm("Delete this credential? Its sealed values are destroyed."))
          e.preventDefault();
      }}
    >
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="credentialId" value={credentialId} />
      <Button type="submit" variant="danger" disabled={pending}>
        Delete
      </Button>
      <FormMessage message={state.message} ok={state.ok} />
    </form>
  );
}
