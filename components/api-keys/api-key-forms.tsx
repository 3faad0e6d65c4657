"use client";
import { useActionState } from "react";
import { createApiKeyAction, revokeApiKeyAction } from "@/lib/api-keys/actions";
import { API_KEY_SCOPES } from "@/lib/api-keys/schemas";
import type { ActionState } from "@/lib/tenancy/tenant-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";

export function CreateApiKeyForm({ tenantId }: { tenantId: string }) {
  const [state, action, pending] = useActionState<
    ActionState<{ key: string; prefix: string }>,
    FormData
  >(createApiKeyAction, {});
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="tenantId" value={tenantId} />
      <Field label="Name" name="name" required errors={state.errors?.name} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Scopes</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {API_KEY_SCOPES.map((s) => (
            <label key={s} className="inline-flex items-center gap-1 text-sm">
              <input type="checkbox" name="scopes" value={s} /> {s}
            </label>
          ))}
        </div>
        {state.errors?.scopes ? (
          <p className="mt-1 text-xs text-red-600">{state.errors.scopes.join(" ")}</p>
        ) : null}
      </fieldset>
      <div className="flex flex-wrap gap-3">
        <label className="text-sm">
          <span className="block font-medium text-slate-700">Environment</span>
          <select
            name="environment"
            className="mt-1 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          >
            <option value="live">live (qs_live_)</option>
            <option value="test">test (qs_test_)</option>
          </select>
        </label>
        <Field
          label="Expires in days (optional)"
          name="expiresInDays"
          type="number"
          min={1}
          errors={state.errors?.expiresInDays}
        />
      </div>
      <Button type="submit" disabled={pending}>
        Create API key
      </Button>
      {state.ok && state.data ? (
        <div role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          <p className="mb-1 font-medium">
            Copy this key now. It is shown once and stored only as a keyed hash.
          </p>
          <input
            readOnly
            aria-label="New API key"
            value={state.data.key}
            className="w-full rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs"
          />
        </div>
      ) : (
        <FormMessage message={state.message} />
      )}
    </form>
  );
}

export function RevokeApiKeyForm({ tenantId, keyId }: { tenantId: string; keyId: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(revokeApiKeyAction, {});
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="keyId" value={keyId} />
      <Button type="submit" variant="danger" disabled={pending}>
        Revoke
      </Button>
      <FormMessage message={state.message} ok={state.ok} />
    </form>
  );
}
