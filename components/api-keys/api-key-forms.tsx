"use client";
import { useActionState, useRef, useState } from "react";
import {
  createApiKeyAction,
  revokeApiKeyAction,
  type CreatedApiKey,
} from "@/lib/features/api-keys/actions";
import { generateClientKeyPair } from "@/lib/shared/sdk/keys";
import { API_KEY_SCOPES } from "@/lib/features/api-keys/schemas";
import type { ActionState } from "@/lib/platform/request-context/tenant-action";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";

export function CreateApiKeyForm({ tenantId }: { tenantId: string }) {
  // The client key pair is generated here, in the browser; only the public key is sent. The
  // secret key stays in this component's memory until the admin downloads it, once.
  const secretKey = useRef<string | null>(null);
  const [downloaded, setDownloaded] = useState(false);
  const [state, action, pending] = useActionState<ActionState<CreatedApiKey>, FormData>(
    async (prev, formData) => {
      const pair = generateClientKeyPair();
      formData.set("clientPublicKey", pair.publicKey);
      secretKey.current = pair.secretKey;
      setDownloaded(false);
      const result = await createApiKeyAction(prev, formData);
      if (!result.ok) secretKey.current = null;
      return result;
    },
    {},
  );
  const download = () => {
    if (!state.data || !secretKey.current) return;
    const file = {
      pqseal_credentials: 1,
      base_url: window.location.origin,
      tenant_id: state.data.tenantId,
      api_key: state.data.key,
      client_key_id: state.data.clientKeyId,
      client_secret_key: secretKey.current,
      signing_public_keys: state.data.signingPublicKeys,
      signing_fingerprint_sha256: state.data.signingFingerprint,
    };
    const url = URL.createObjectURL(
      new Blob([JSON.stringify(file, null, 2)], { type: "application/json" }),
    );
    const a = document.createElement("a");
    a.href = url;
    a.download = `pqseal-credentials-${state.data.prefix}.json`;
    a.click();
    URL.revokeObjectURL(url);
    secretKey.current = null;
    setDownloaded(true);
  };
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
          <p className="mb-2 text-xs">
            Its responses are encrypted to an ML-KEM-768 key pair generated in this browser.
            Download the credentials file (API key + client secret key + pinned signing key) now:
            the secret key exists nowhere else.
          </p>
          <Button type="button" onClick={download} disabled={downloaded} className="mb-2">
            {downloaded ? "Downloaded" : "Download credentials file"}
          </Button>
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
