"use client";
import Link from "next/link";
import { Fragment, useId, useRef, useState, type FormEvent } from "react";
import { TenantForm } from "@/components/ui/action-form";
import { controlClass } from "@/components/ui/form-control";
import { SubmitButton } from "@/components/ui/submit-button";
import type { Operation } from "@/lib/features/integrations/schemas";
import { runConsoleAction } from "@/lib/features/proxy/actions";
import { CONSOLE_OPERATIONS, consoleOperationsFor } from "@/lib/features/proxy/console-operations";
import { AfterRun } from "./after-run";
import { ConsoleResultPanel } from "./console-result";
import { OperationFields, FIELD_DEFAULTS } from "./operation-fields";
import { OperationTabs, tabIdOf } from "./operation-tabs";

type ConsoleIntegration = { id: string; name: string; allowed: string[] };

/** Fields whose typed value is not kept between runs and tabs. */
const NOT_KEPT = new Set(["code", "tenantId", "integration_id", "operation"]);

/**
 * The test console: pick an integration, then one of the operations it allows (tabs), fill in
 * and run. What was typed stays after every run and follows across tabs; a verification's SID
 * is filled in from its result.
 */
export function ConsoleForm({
  tenantId,
  integrations,
}: {
  tenantId: string;
  integrations: ConsoleIntegration[];
}) {
  const ids = useId();
  const [integrationId, setIntegrationId] = useState(integrations[0]?.id ?? "");
  const [preferred, setPreferred] = useState<Operation>("send_sms");
  const [values, setValues] = useState<Record<string, string>>(FIELD_DEFAULTS);
  const submitted = useRef<FormData | null>(null);
  const integration = integrations.find((i) => i.id === integrationId) ?? integrations[0];
  const operations = consoleOperationsFor(integration?.allowed ?? []);
  // The operation chosen last, or the integration's first when it does not allow that one.
  const op = operations.includes(preferred) ? preferred : operations[0];
  const panelId = `${ids}-panel`;

  const remember = (event: FormEvent<HTMLFormElement>) => {
    const t = event.target;
    const control =
      t instanceof HTMLInputElement ||
      t instanceof HTMLSelectElement ||
      t instanceof HTMLTextAreaElement;
    if (!control || !t.name || NOT_KEPT.has(t.name)) return;
    setValues((v) => ({ ...v, [t.name]: t.value }));
  };

  return (
    <div className="space-y-4">
      <label className="block text-sm">
        <span className="font-medium text-slate-700">Integration</span>
        <select
          className={controlClass}
          value={integration?.id}
          onChange={(event) => setIntegrationId(event.target.value)}
        >
          {integrations.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name}
            </option>
          ))}
        </select>
      </label>
      {!integration || !op ? (
        <p className="text-sm text-slate-700" data-testid="console-no-operations">
          {integration?.name ?? "This integration"} allows none of the operations the console runs.{" "}
          <Link
            className="text-brand-700 underline"
            href={`/t/${tenantId}/integrations/${integration?.id ?? ""}`}
          >
            See its allowed operations
          </Link>
          .
        </p>
      ) : (
        <>
          <OperationTabs
            operations={operations}
            selected={op}
            onSelect={setPreferred}
            idPrefix={ids}
            panelId={panelId}
          />
          <div role="tabpanel" id={panelId} aria-labelledby={tabIdOf(ids, op)}>
            <TenantForm
              action={runConsoleAction}
              tenantId={tenantId}
              hiddenFields={{ operation: op, integration_id: integration.id }}
              className="space-y-3"
              onChange={remember}
              onSubmit={(event) => {
                submitted.current = new FormData(event.currentTarget);
              }}
              result={(state) => (
                <>
                  <AfterRun
                    state={state}
                    submitted={submitted}
                    onVerification={(sid) => setValues((v) => ({ ...v, verification_sid: sid }))}
                  />
                  {state.data ? (
                    <ConsoleResultPanel tenantId={tenantId} result={state.data} />
                  ) : null}
                </>
              )}
            >
              {(state) => (
                // A new key per operation mounts its inputs with the values kept so far.
                <Fragment key={op}>
                  <OperationFields op={op} values={values} errors={state.errors} />
                  <SubmitButton pendingLabel={CONSOLE_OPERATIONS[op].running}>
                    {CONSOLE_OPERATIONS[op].name}
                  </SubmitButton>
                </Fragment>
              )}
            </TenantForm>
          </div>
        </>
      )}
    </div>
  );
}
