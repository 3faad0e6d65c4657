"use client";
import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/platform/request-context/tenant-action";
import { rewrapAction, rotateTenantKeyAction, updateKmsAction } from "@/lib/features/vault/actions";

export function RotateKeyForm({ tenantId, kind }: { tenantId: string; kind: "signing" | "vault" }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(rotateTenantKeyAction, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="kind" value={kind} />
      <Button type="submit" variant="secondary" disabled={pending}>
        Rotate {kind} key
      </Button>
      <FormMessage message={state.message} ok={state.ok} />
    </form>
  );
}

export function KmsForm({
  tenantId,
  provider,
  keyArn,
}: {
  tenantId: string;
  provider: "local" | "aws-kms";
  keyArn: string | null;
}) {
  const [chosen, setChosen] = useState(provider);
  const [state, action, pending] = useActionState<ActionState, FormData>(updateKmsAction, {});
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="tenantId" value={tenantId} />
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
      <Button type="submit" disabled={pending}>
        Save and re-wrap
      </Button>
      <FormMessage message={state.message} ok={state.ok} />
    </form>
  );
}

export function RewrapForm({ tenantId }: { tenantId: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(rewrapAction, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="tenantId" value={tenantId} />
      <Button type="submit" variant="secondary" disabled={pending}>
        Re-wrap now
      </Button>
      <FormMessage message={state.message} ok={state.ok} />
    </form>
  );
}
