"use client";
import { TenantForm } from "@/components/ui/action-form";
import { Checkbox, CheckboxGroup } from "@/components/ui/checkbox";
import { CountryPicker } from "@/components/ui/country-picker";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { TenantActionButton } from "@/components/ui/tenant-action-button";
import {
  createIntegrationAction,
  deleteIntegrationAction,
  updateIntegrationAction,
} from "@/lib/features/integrations/actions";
import type { IntegrationJson } from "@/lib/features/integrations/queries";
import { OPERATIONS } from "@/lib/features/integrations/schemas";
import type { CountryOption } from "@/lib/shared/countries";
import { INTEGRATION_LIMIT_DEFAULTS as LIMITS } from "@/lib/shared/integration-limits";

type CredentialOption = { id: string; name: string; type: string };

export function IntegrationForm({
  tenantId,
  credentials,
  countries,
  integration,
}: {
  tenantId: string;
  credentials: CredentialOption[];
  /** Every country allowed_countries accepts, named on the server (phoneCountries). */
  countries: CountryOption[];
  integration?: IntegrationJson;
}) {
  const twilioCreds = credentials.filter((c) => c.type !== "webhook_secret");
  const webhookCreds = credentials.filter((c) => c.type === "webhook_secret");
  // Twilio signs webhooks with the Auth Token: a basic_auth credential holds it already.
  const authTokenCreds = credentials.filter((c) => c.type === "basic_auth");
  return (
    <TenantForm
      action={integration ? updateIntegrationAction : createIntegrationAction}
      tenantId={tenantId}
      hiddenFields={{ integrationId: integration?.id }}
      className="space-y-4"
    >
      {({ errors: e }) => (
        <>
          <Field
            label="Name"
            name="name"
            required
            defaultValue={integration?.name}
            errors={e?.name}
          />
          <div className="grid gap-3 sm:grid-cols-2">
            <Select
              label="Twilio credential"
              name="credential_id"
              defaultValue={integration?.credential_id}
              errors={e?.credential_id}
            >
              {twilioCreds.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.type})
                </option>
              ))}
            </Select>
            <Select
              label="Webhook signing secret"
              name="webhook_credential_id"
              defaultValue={integration?.webhook_credential_id ?? ""}
              hint="Checks X-Twilio-Signature on every intake URL: a webhook_secret, or the Auth Token of a basic_auth credential (never an API key)."
              errors={e?.webhook_credential_id}
            >
              <option value="">none</option>
              {webhookCreds.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
              {authTokenCreds.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} (Auth Token of basic_auth)
                </option>
              ))}
            </Select>
          </div>
          <CheckboxGroup
            legend="Allowed operations (everything else is refused)"
            name="allowed_operations"
            errors={e?.allowed_operations}
            className="grid gap-1 sm:grid-cols-2"
          >
            {OPERATIONS.map((op) => (
              <Checkbox
                key={op}
                name="allowed_operations"
                value={op}
                label={op}
                defaultChecked={integration?.allowed_operations.includes(op) ?? false}
              />
            ))}
          </CheckboxGroup>
          <CountryPicker
            legend="Allowed destination countries"
            name="allowed_countries"
            options={countries}
            defaultValue={integration?.allowed_countries ?? []}
            hint="Sends, calls and verifications to any other country are refused."
            errors={e?.allowed_countries}
          />
          <div className="grid gap-3 sm:grid-cols-3">
            <Field
              label="Verify service SID"
              name="verify_service_sid"
              defaultValue={integration?.verify_service_sid ?? ""}
              placeholder="VA…"
              hint="Required when a Verify operation is allowed."
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
              defaultValue={integration?.sends_per_destination ?? LIMITS.sends_per_destination}
              errors={e?.sends_per_destination}
            />
            <Field
              label="Verification checks per destination"
              name="checks_per_destination"
              type="number"
              min={1}
              defaultValue={integration?.checks_per_destination ?? LIMITS.checks_per_destination}
              errors={e?.checks_per_destination}
            />
            <Field
              label="Window / cooldown (seconds)"
              name="destination_window_seconds"
              type="number"
              min={1}
              defaultValue={
                integration?.destination_window_seconds ?? LIMITS.destination_window_seconds
              }
              errors={e?.destination_window_seconds}
            />
            <Field
              label="API key burst"
              name="key_burst"
              type="number"
              min={1}
              defaultValue={integration?.key_burst ?? LIMITS.key_burst}
              errors={e?.key_burst}
            />
            <Field
              label="API key requests per second"
              name="key_rate_per_second"
              type="number"
              min={1}
              defaultValue={integration?.key_rate_per_second ?? LIMITS.key_rate_per_second}
              errors={e?.key_rate_per_second}
            />
            <Field
              label="Sends per end-user IP"
              name="end_user_ip_sends"
              type="number"
              min={1}
              defaultValue={integration?.end_user_ip_sends ?? LIMITS.end_user_ip_sends}
              errors={e?.end_user_ip_sends}
            />
            <Field
              label="Verification checks per end-user id"
              name="end_user_id_checks"
              type="number"
              min={1}
              defaultValue={integration?.end_user_id_checks ?? LIMITS.end_user_id_checks}
              errors={e?.end_user_id_checks}
            />
            <Field
              label="End-user window / cooldown (seconds)"
              name="end_user_window_seconds"
              type="number"
              min={1}
              defaultValue={integration?.end_user_window_seconds ?? LIMITS.end_user_window_seconds}
              errors={e?.end_user_window_seconds}
            />
            <Checkbox
              name="require_end_user"
              label="Require end_user (ip on sends, id on verification checks)"
              defaultChecked={integration?.require_end_user ?? false}
            />
            <Checkbox
              name="line_type_check"
              label="Look up the line type before SMS and voice verification (landline refused for SMS)"
              defaultChecked={integration?.line_type_check ?? false}
            />
            <Select
              label="Non-fixed VoIP numbers"
              name="voip_policy"
              defaultValue={integration?.voip_policy ?? "flag"}
              errors={e?.voip_policy}
            >
              <option value="allow">allow</option>
              <option value="flag">flag in the audit log</option>
              <option value="refuse">refuse</option>
            </Select>
            <Field
              label="Line-type cache (hours)"
              name="line_type_cache_hours"
              type="number"
              min={1}
              defaultValue={integration?.line_type_cache_hours ?? LIMITS.line_type_cache_hours}
              errors={e?.line_type_cache_hours}
            />
            <Select
              label="Suspected SMS pumping (low verification conversion to a country)"
              name="pumping_action"
              defaultValue={integration?.pumping_action ?? "alert"}
              errors={e?.pumping_action}
            >
              <option value="off">off</option>
              <option value="alert">alert (audit log, dashboard)</option>
              <option value="refuse">refuse sends to the country</option>
            </Select>
            <Field
              label="Pumping: minimum verifications in the window"
              name="pumping_min_volume"
              type="number"
              min={1}
              defaultValue={integration?.pumping_min_volume ?? LIMITS.pumping_min_volume}
              errors={e?.pumping_min_volume}
            />
            <Field
              label="Pumping: minimum approved (%)"
              name="pumping_min_conversion"
              type="number"
              min={1}
              max={100}
              defaultValue={integration?.pumping_min_conversion ?? LIMITS.pumping_min_conversion}
              errors={e?.pumping_min_conversion}
            />
            <Field
              label="Pumping: window (seconds)"
              name="pumping_window_seconds"
              type="number"
              min={1}
              defaultValue={integration?.pumping_window_seconds ?? LIMITS.pumping_window_seconds}
              errors={e?.pumping_window_seconds}
            />
            <Field
              label="Suggest a call when an SMS verification is not approved within (seconds, 0: off)"
              name="fallback_after_seconds"
              type="number"
              min={0}
              defaultValue={integration?.fallback_after_seconds ?? LIMITS.fallback_after_seconds}
              errors={e?.fallback_after_seconds}
            />
          </fieldset>
          <Field
            label="Forward URL for inbound webhooks (optional)"
            name="forward_url"
            defaultValue={integration?.forward_url ?? ""}
            placeholder="https://…"
            errors={e?.forward_url}
          />
          <Checkbox name="enabled" label="Enabled" defaultChecked={integration?.enabled ?? true} />
          <div>
            <SubmitButton>{integration ? "Save integration" : "Create integration"}</SubmitButton>
          </div>
        </>
      )}
    </TenantForm>
  );
}

export function DeleteIntegrationForm({
  tenantId,
  integrationId,
  name,
}: {
  tenantId: string;
  integrationId: string;
  name: string;
}) {
  return (
    <TenantActionButton
      action={deleteIntegrationAction}
      tenantId={tenantId}
      hiddenFields={{ integrationId }}
      variant="danger"
      confirm={{
        title: `Delete the integration “${name}”?`,
        description:
          "Proxy calls through it and webhooks to its intake URLs are refused from now on. Its audit events are kept.",
        confirmLabel: "Delete integration",
      }}
    >
      Delete integration
    </TenantActionButton>
  );
}
