"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import {
  createIntegrationAction,
  deleteIntegrationAction,
  updateIntegrationAction,
} from "@/lib/features/integrations/actions";
import type { IntegrationJson } from "@/lib/features/integrations/service";
import { OPERATIONS } from "@/lib/features/integrations/schemas";
import type { ActionState } from "@/lib/platform/request-context/tenant-action";

type CredentialOption = { id: string; name: string; type: string };

export function IntegrationForm({
  tenantId,
  credentials,
  integration,
}: {
  tenantId: string;
  credentials: CredentialOption[];
  integration?: IntegrationJson;
}) {
  const [state, action, pending] = useActionState<ActionState, FormData>(
    integration ? updateIntegrationAction : createIntegrationAction,
    {},
  );
  const e = state.errors;
  const twilioCreds = credentials.filter((c) => c.type !== "webhook_secret");
  const webhookCreds = credentials.filter((c) => c.type === "webhook_secret");
  const select = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-2 text-sm";
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="tenantId" value={tenantId} />
      {integration ? <input type="hidden" name="integrationId" value={integration.id} /> : null}
      <Field label="Name" name="name" required defaultValue={integration?.name} errors={e?.name} />
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="block text-sm">
          <span className="font-medium text-slate-700">Twilio credential</span>
          <select name="credential_id" defaultValue={integration?.credential_id} className={select}>
            {twilioCreds.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.type})
              </option>
            ))}
          </select>
          {e?.credential_id ? (
            <span className="text-xs text-red-600">{e.credential_id.join(" ")}</span>
          ) : null}
        </label>
        <label className="block text-sm">
          <span className="font-medium text-slate-700">Webhook signing secret</span>
          <select
            name="webhook_credential_id"
            defaultValue={integration?.webhook_credential_id ?? ""}
            className={select}
          >
            <option value="">none</option>
            {webhookCreds.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">
          Allowed operations (everything else is refused)
        </legend>
        <div className="mt-1 grid gap-1 sm:grid-cols-2">
          {OPERATIONS.map((op) => (
            <label key={op} className="inline-flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="allowed_operations"
                value={op}
                defaultChecked={integration?.allowed_operations.includes(op) ?? false}
              />
              {op}
            </label>
          ))}
        </div>
        {e?.allowed_operations ? (
          <p className="text-xs text-red-600">{e.allowed_operations.join(" ")}</p>
        ) : null}
      </fieldset>
      <Field
        label="Allowed destination countries"
        name="allowed_countries"
        defaultValue={integration?.allowed_countries.join(", ") ?? ""}
        hint="ISO codes, e.g. US, CA, GB. Sends and calls elsewhere are refused."
        errors={e?.allowed_countries}
      />
      <div className="grid gap-3 sm:grid-cols-3">
        <Field
          label="Verify service SID"
          name="verify_service_sid"
          defaultValue={integration?.verify_service_sid ?? ""}
          placeholder="VA…"
          errors={e?.verify_service_sid}
        />
        <Field
          label="Default sender"
          name="default_from"
          defaultValue={integration?.default_from ?? ""}
          placeholder="+14155550100"
          errors={e?.default_from}
        />
        <Field
          label="Messaging service SID"
          name="messaging_service_sid"
          defaultValue={integration?.messaging_service_sid ?? ""}
          placeholder="MG…"
          errors={e?.messaging_service_sid}
        />
      </div>
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <legend className="mb-1 text-sm font-medium text-slate-700">Abuse limits</legend>
        <Field
          label="Sends per destination"
          name="sends_per_destination"
          type="number"
          min={1}
          defaultValue={integration?.sends_per_destination ?? 3}
          errors={e?.sends_per_destination}
        />
        <Field
          label="Verification checks per destination"
          name="checks_per_destination"
          type="number"
          min={1}
          defaultValue={integration?.checks_per_destination ?? 5}
          errors={e?.checks_per_destination}
        />
        <Field
          label="Window / cooldown (seconds)"
          name="destination_window_seconds"
          type="number"
          min={1}
          defaultValue={integration?.destination_window_seconds ?? 600}
          errors={e?.destination_window_seconds}
        />
        <Field
          label="API key burst"
          name="key_burst"
          type="number"
          min={1}
          defaultValue={integration?.key_burst ?? 20}
          errors={e?.key_burst}
        />
        <Field
          label="API key requests per second"
          name="key_rate_per_second"
          type="number"
          min={1}
          defaultValue={integration?.key_rate_per_second ?? 5}
          errors={e?.key_rate_per_second}
        />
      </fieldset>
      <Field
        label="Forward URL for inbound webhooks (optional)"
        name="forward_url"
        defaultValue={integration?.forward_url ?? ""}
        placeholder="https://…"
        errors={e?.forward_url}
      />
      <label className="inline-flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={integration?.enabled ?? true} />
        Enabled
      </label>
      <div>
        <Button type="submit" disabled={pending}>
          {integration ? "Save integration" : "Create integration"}
        </Button>
      </div>
      <FormMessage message={state.message} ok={state.ok} />
    </form>
  );
}

export function DeleteIntegrationForm({
  tenantId,
  integrationId,
}: {
  tenantId: string;
  integrationId: string;
}) {
  const [state, action, pending] = useActionState<ActionState, FormData>(
    deleteIntegrationAction,
    {},
  );
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="integrationId" value={integrationId} />
      <Button type="submit" variant="danger" disabled={pending}>
        Delete integration
      </Button>
      <FormMessage message={state.message} ok={state.ok} />
    </form>
  );
}
