"use client";
import { useState } from "react";
import {
  createStreamAction,
  deleteStreamAction,
  rotateStreamSecretAction,
  setStreamEnabledAction,
} from "@/lib/features/audit-streams/actions";
import { TenantForm } from "@/components/ui/action-form";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { TenantActionButton } from "@/components/ui/tenant-action-button";

type Kind = "webhook" | "splunk" | "s3";

/** The new webhook signing secret, shown once after creating or rotating it. */
function SigningSecret({ secret }: { secret: string | null | undefined }) {
  return secret ? (
    <div className="mt-3">
      <OneTimeSecret label="Stream signing secret" value={secret} copyWhat="signing secret">
        <p className="mb-2">
          Verify each batch&apos;s <code>webhook-signature</code> with this secret (Standard
          Webhooks). It is shown only now.
        </p>
      </OneTimeSecret>
    </div>
  ) : null;
}

export function CreateStreamForm({ tenantId }: { tenantId: string }) {
  const [kind, setKind] = useState<Kind>("webhook");
  return (
    <TenantForm
      action={createStreamAction}
      tenantId={tenantId}
      className="space-y-3"
      result={(state) => (state.ok ? <SigningSecret secret={state.data?.secret} /> : null)}
    >
      {(state) => (
        <>
          <div className="flex flex-wrap items-end gap-2">
            <Field label="Name" name="name" autoComplete="off" errors={state.errors?.name} />
            <Select
              label="Destination"
              name="kind"
              value={kind}
              onChange={(e) => setKind(e.target.value as Kind)}
              className="w-auto"
              errors={state.errors?.kind}
            >
              <option value="webhook">HTTPS endpoint (NDJSON, signed)</option>
              <option value="splunk">Splunk HTTP Event Collector</option>
              <option value="s3">S3 or S3-compatible bucket</option>
            </Select>
            <Select
              label="Start from"
              name="startFrom"
              defaultValue="now"
              className="w-auto"
              errors={state.errors?.startFrom}
            >
              <option value="now">New events</option>
              <option value="beginning">Every event still kept</option>
            </Select>
          </div>
          {kind === "s3" ? (
            <div className="flex flex-wrap items-end gap-2">
              <Field
                label="Bucket"
                name="bucket"
                autoComplete="off"
                errors={state.errors?.bucket}
              />
              <Field
                label="Key prefix"
                name="prefix"
                placeholder="pqseal-audit"
                autoComplete="off"
                errors={state.errors?.prefix}
              />
              <Field
                label="Region"
                name="region"
                defaultValue="us-east-1"
                autoComplete="off"
                errors={state.errors?.region}
              />
              <Field
                label="Endpoint (S3-compatible stores only)"
                name="endpoint"
                type="url"
                placeholder="https://minio.example.com"
                errors={state.errors?.endpoint}
                wrapperClassName="min-w-72 flex-1"
              />
              <Field
                label="Access key id"
                name="accessKeyId"
                autoComplete="off"
                errors={state.errors?.accessKeyId}
              />
              <Field
                label="Secret access key"
                name="secretAccessKey"
                type="password"
                autoComplete="off"
                errors={state.errors?.secretAccessKey}
              />
              <Checkbox label="Path-style addressing (MinIO and the like)" name="forcePathStyle" />
            </div>
          ) : (
            <div className="flex flex-wrap items-end gap-2">
              <Field
                label={kind === "splunk" ? "HEC URL" : "Endpoint URL"}
                name="url"
                type="url"
                placeholder={
                  kind === "splunk"
                    ? "https://splunk.example.com:8088"
                    : "https://siem.example.com/pqseal-audit"
                }
                errors={state.errors?.url}
                wrapperClassName="min-w-72 flex-1"
              />
              {kind === "splunk" ? (
                <>
                  <Field
                    label="HEC token"
                    name="token"
                    type="password"
                    autoComplete="off"
                    errors={state.errors?.token}
                  />
                  <Field
                    label="Index (optional)"
                    name="index"
                    autoComplete="off"
                    errors={state.errors?.index}
                  />
                </>
              ) : null}
            </div>
          )}
          <div>
            <SubmitButton>Add stream</SubmitButton>
          </div>
        </>
      )}
    </TenantForm>
  );
}

export function StreamEnabledButton(props: {
  tenantId: string;
  streamId: string;
  name: string;
  enabled: boolean;
}) {
  return (
    <TenantActionButton
      action={setStreamEnabledAction}
      tenantId={props.tenantId}
      hiddenFields={{ streamId: props.streamId, enabled: String(!props.enabled) }}
      size="sm"
      buttonProps={{ "aria-label": `${props.enabled ? "Disable" : "Enable"} stream ${props.name}` }}
    >
      {props.enabled ? "Disable" : "Enable"}
    </TenantActionButton>
  );
}

/** A webhook stream gets a new secret made for it; Splunk and S3 streams take the new one. */
export function RotateStreamSecretForm(props: {
  tenantId: string;
  streamId: string;
  name: string;
  kind: Kind;
}) {
  if (props.kind === "webhook") {
    return (
      <TenantActionButton
        action={rotateStreamSecretAction}
        tenantId={props.tenantId}
        hiddenFields={{ streamId: props.streamId }}
        size="sm"
        buttonProps={{ "aria-label": `New signing secret for stream ${props.name}` }}
        confirm={{
          title: `New signing secret for ${props.name}?`,
          description:
            "The next batch is signed with the new secret only: update the receiver's secret at once.",
          confirmLabel: "Make a new secret",
        }}
        result={(state) => (state.ok ? <SigningSecret secret={state.data?.secret} /> : null)}
      >
        New secret
      </TenantActionButton>
    );
  }
  return (
    <TenantForm
      action={rotateStreamSecretAction}
      tenantId={props.tenantId}
      hiddenFields={{ streamId: props.streamId }}
      className="flex flex-wrap items-end gap-2"
    >
      {(state) => (
        <>
          <Field
            label={`${props.kind === "splunk" ? "New HEC token" : "New secret access key"} for ${props.name}`}
            name="secret"
            type="password"
            autoComplete="off"
            errors={state.errors?.secret}
          />
          <SubmitButton size="sm" variant="secondary">
            Replace
          </SubmitButton>
        </>
      )}
    </TenantForm>
  );
}

export function DeleteStreamButton(props: { tenantId: string; streamId: string; name: string }) {
  return (
    <TenantActionButton
      action={deleteStreamAction}
      tenantId={props.tenantId}
      hiddenFields={{ streamId: props.streamId }}
      variant="danger"
      size="sm"
      buttonProps={{ "aria-label": `Delete stream ${props.name}` }}
      confirm={{
        title: `Delete the stream ${props.name}?`,
        description:
          "Events stop going to this destination. What was sent stays there; a new stream starts from new events or from the oldest event still kept.",
        confirmLabel: "Delete stream",
      }}
    >
      Delete
    </TenantActionButton>
  );
}
