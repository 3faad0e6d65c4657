"use client";
import { formatUtc } from "@/lib/shared/format-date";
import { useRef, useState } from "react";
import {
  createApiKeyAction,
  revokeApiKeyAction,
  rollApiKeyAction,
  updateApiKeyAccessAction,
  type CreatedApiKey,
} from "@/lib/features/api-keys/actions";
import { generateClientKeyPair } from "@/lib/shared/sdk/keys";
import { API_KEY_SCOPES } from "@/lib/shared/api-key-scopes";
import {
  ENVIRONMENT_NOTE,
  needsClientKey,
  SCOPE_DESCRIPTIONS,
} from "@/lib/features/api-keys/scopes";
import type { ActionState } from "@/lib/shared/action-state";
import { TenantForm } from "@/components/ui/action-form";
import { Button } from "@/components/ui/button";
import { Checkbox, CheckboxGroup } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { Select } from "@/components/ui/select";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SubmitButton } from "@/components/ui/submit-button";
import { TenantActionButton } from "@/components/ui/tenant-action-button";

export function CreateApiKeyForm({ tenantId }: { tenantId: string }) {
  // The client key pair is generated here, in the browser; only the public key is sent. The
  // secret key stays in this component's memory until the admin downloads it, once. Only keys
  // whose answers are encrypted (the proxy scope) need one; a webhook receiver may ask for one.
  const secretKey = useRef<string | null>(null);
  const [downloaded, setDownloaded] = useState(false);
  const [scopes, setScopes] = useState<string[]>([]);
  const [extraPair, setExtraPair] = useState(false);
  const pairNeeded = needsClientKey(scopes);
  const create = async (prev: ActionState<CreatedApiKey>, formData: FormData) => {
    const chosen = formData.getAll("scopes").map(String);
    secretKey.current = null;
    if (needsClientKey(chosen) || formData.get("withClientKey") === "on") {
      const pair = generateClientKeyPair();
      formData.set("clientPublicKey", pair.publicKey);
      secretKey.current = pair.secretKey;
    }
    setDownloaded(false);
    const result = await createApiKeyAction(prev, formData);
    if (!result.ok) secretKey.current = null;
    else {
      // The form starts afresh after a success: so do the choices it depends on.
      setScopes([]);
      setExtraPair(false);
    }
    return result;
  };
  const download = (data: CreatedApiKey) => {
    if (!secretKey.current) return;
    const file = {
      pqseal_credentials: 1,
      base_url: window.location.origin,
      tenant_id: data.tenantId,
      api_key: data.key,
      client_key_id: data.clientKeyId,
      client_secret_key: secretKey.current,
      signing_public_keys: data.signingPublicKeys,
      signing_fingerprint_sha256: data.signingFingerprint,
    };
    const url = URL.createObjectURL(
      new Blob([JSON.stringify(file, null, 2)], { type: "application/json" }),
    );
    const a = document.createElement("a");
    a.href = url;
    a.download = `pqseal-credentials-${data.prefix}.json`;
    a.click();
    URL.revokeObjectURL(url);
    secretKey.current = null;
    setDownloaded(true);
  };
  return (
    <TenantForm
      action={create}
      tenantId={tenantId}
      className="space-y-4"
      result={(state) =>
        state.ok && state.data ? (
          <OneTimeSecret label="New API key" value={state.data.key} copyWhat="API key">
            <p className="mb-1 font-medium">
              Copy this key now. It is shown once and stored only as a keyed hash.
            </p>
            {state.data.clientKeyId ? (
              <>
                <p className="mb-2 text-xs">
                  Its responses are encrypted to an ML-KEM-768 key pair generated in this browser.
                  Download the credentials file (API key + client secret key + pinned signing key)
                  now: the secret key exists nowhere else.
                </p>
                <Button
                  type="button"
                  onClick={() => state.data && download(state.data)}
                  disabled={downloaded}
                  className="mb-2"
                >
                  {downloaded ? "Downloaded" : "Download credentials file"}
                </Button>
              </>
            ) : (
              <p className="mb-2 text-xs">
                It has no client key pair: its scopes answer plain JSON over HTTPS.
              </p>
            )}
          </OneTimeSecret>
        ) : null
      }
    >
      {(state) => (
        <>
          <Field label="Name" name="name" required errors={state.errors?.name} />
          <div
            onChange={(e) => {
              const form = (e.target as HTMLInputElement).form;
              if (form) setScopes(new FormData(form).getAll("scopes").map(String));
            }}
          >
            <CheckboxGroup
              legend="Scopes"
              name="scopes"
              errors={state.errors?.scopes}
              className="flex-col gap-2"
            >
              {API_KEY_SCOPES.map((s) => (
                <div key={s}>
                  <Checkbox
                    name="scopes"
                    value={s}
                    label={<span className="font-mono">{s}</span>}
                    aria-describedby={`scope-${s}-help`}
                  />
                  <p id={`scope-${s}-help`} className="ml-6 text-xs text-slate-600">
                    {SCOPE_DESCRIPTIONS[s]}
                  </p>
                </div>
              ))}
            </CheckboxGroup>
          </div>
          <div
            className="rounded-md border border-slate-200 p-3 text-xs text-slate-700"
            data-testid="client-key-note"
          >
            {pairNeeded ? (
              <p>
                <span className="font-medium">Client key pair:</span> an ML-KEM-768 key pair is
                generated in this browser when you create the key. Proxy answers are encrypted to
                it; you download its secret half once, with the key.
              </p>
            ) : (
              <>
                <p>
                  <span className="font-medium">No client key pair needed:</span> without the proxy
                  scope, answers are plain JSON over HTTPS.
                </p>
                <Checkbox
                  className="mt-2"
                  name="withClientKey"
                  checked={extraPair}
                  onChange={(e) => setExtraPair(e.target.checked)}
                  label="Make a client key pair anyway, to receive forwarded webhooks with it"
                />
              </>
            )}
            {state.errors?.clientPublicKey?.length ? (
              <p id="clientPublicKey-error" className="mt-1 text-red-600">
                {state.errors.clientPublicKey.join(" ")}
              </p>
            ) : null}
          </div>
          <div className="flex flex-wrap items-start gap-3">
            <Select
              label="Environment"
              name="environment"
              className="w-auto"
              wrapperClassName="max-w-md"
              hint={ENVIRONMENT_NOTE}
            >
              <option value="live">live (qs_live_)</option>
              <option value="test">test (qs_test_)</option>
            </Select>
            <Field
              label="Expires in days (optional)"
              name="expiresInDays"
              type="number"
              min={1}
              errors={state.errors?.expiresInDays}
            />
          </div>
          <AccessFields errors={state.errors} />
          <SubmitButton pendingLabel="Creating…">Create API key</SubmitButton>
        </>
      )}
    </TenantForm>
  );
}

export function RevokeApiKeyForm({
  tenantId,
  keyId,
  name,
}: {
  tenantId: string;
  keyId: string;
  name: string;
}) {
  return (
    <TenantActionButton
      action={revokeApiKeyAction}
      tenantId={tenantId}
      hiddenFields={{ keyId }}
      variant="danger"
      buttonProps={{ "aria-label": `Revoke ${name}` }}
      confirm={{
        title: `Revoke the API key “${name}”?`,
        description:
          "Clients using it are refused from now on. A revoked key cannot be restored; create a new one instead.",
        confirmLabel: "Revoke key",
      }}
    >
      Revoke
    </TenantActionButton>
  );
}

/** Allowed networks and the key's own rate: shared by the create and the access forms. */
function AccessFields({
  errors,
  defaults,
}: {
  errors?: Record<string, string[] | undefined> | undefined;
  defaults?: { allowedNetworks: string; ratePerSecond: string; burst: string };
}) {
  return (
    <>
      <Field
        label="Allowed networks (optional)"
        name="allowedNetworks"
        placeholder="203.0.113.0/24, 2001:db8::/32"
        hint="IPv4/IPv6 addresses or CIDR networks, separated by commas. Empty: any address. Calls from elsewhere get 403 ip_not_allowed."
        defaultValue={defaults?.allowedNetworks}
        errors={errors?.allowedNetworks}
      />
      <div className="flex flex-wrap items-start gap-3">
        <Field
          label="Own rate, requests/s (optional)"
          name="ratePerSecond"
          type="number"
          min={1}
          defaultValue={defaults?.ratePerSecond}
          errors={errors?.ratePerSecond}
        />
        <Field
          label="Burst (optional)"
          name="burst"
          type="number"
          min={1}
          defaultValue={defaults?.burst}
          errors={errors?.burst}
        />
      </div>
    </>
  );
}

export function ApiKeyAccessForm({
  tenantId,
  keyId,
  allowedNetworks,
  ratePerSecond,
  burst,
}: {
  tenantId: string;
  keyId: string;
  allowedNetworks: string[];
  ratePerSecond: number | null;
  burst: number | null;
}) {
  return (
    <TenantForm
      action={updateApiKeyAccessAction}
      tenantId={tenantId}
      hiddenFields={{ keyId }}
      className="space-y-2"
    >
      {(state) => (
        <>
          <AccessFields
            errors={state.errors}
            defaults={{
              allowedNetworks: allowedNetworks.join(", "),
              ratePerSecond: ratePerSecond ? String(ratePerSecond) : "",
              burst: burst ? String(burst) : "",
            }}
          />
          <SubmitButton>Save networks and limits</SubmitButton>
        </>
      )}
    </TenantForm>
  );
}

export function RollApiKeyForm({ tenantId, keyId }: { tenantId: string; keyId: string }) {
  return (
    <TenantForm
      action={rollApiKeyAction}
      tenantId={tenantId}
      hiddenFields={{ keyId }}
      className="space-y-2"
      result={(state) =>
        state.ok && state.data ? (
          <OneTimeSecret label="New secret for this key" value={state.data.key}>
            <p className="mb-1 font-medium">
              Copy the new key now: it is shown once. Put it in the client&apos;s credentials file
              in place of the old one (the client key pair does not change).
            </p>
            <p className="mb-2 text-xs">
              {state.data.previousValidUntil
                ? `The old secret keeps working until ${formatUtc(state.data.previousValidUntil)}.`
                : "The old secret no longer works."}
            </p>
          </OneTimeSecret>
        ) : null
      }
    >
      {(state) => (
        <div className="flex flex-wrap items-end gap-3">
          <Field
            label="Old secret valid for (hours)"
            name="graceHours"
            type="number"
            min={0}
            max={720}
            defaultValue="24"
            errors={state.errors?.graceHours}
          />
          <Field
            label="New expiry in days (optional)"
            name="expiresInDays"
            type="number"
            min={1}
            errors={state.errors?.expiresInDays}
          />
          <ConfirmDialog
            trigger="Roll key"
            triggerProps={{ variant: "secondary" }}
            title="Roll this key's secret?"
            description="A new secret is made and shown once. The old secret keeps working for the hours entered above; with 0 it stops at once, and clients still using it are refused (401) until they have the new one."
            confirmLabel="Roll key"
          />
        </div>
      )}
    </TenantForm>
  );
}
