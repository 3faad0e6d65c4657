import Link from "next/link";
import { IntegrationForm } from "@/components/integrations/integration-form";
import { Card, PageHeader } from "@/components/ui/card";
import { listIntegrations } from "@/lib/features/integrations/queries";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";
import { listCredentials } from "@/lib/features/vault/queries";
import { countryLabel, phoneCountries } from "@/lib/shared/countries";

export const metadata = { title: "Integrations" };

export default async function IntegrationsPage({
  params,
}: PageProps<"/t/[tenantId]/integrations">) {
  const ctx = await tenantPage((await params).tenantId, "tenant:read");
  const [integrations, credentials] = await Promise.all([
    listIntegrations(ctx.tenantId),
    listCredentials(ctx.tenantId),
  ]);
  const canWrite = ctx.can("integrations:write");
  const hasTwilioCredential = credentials.some((c) => c.type !== "webhook_secret");
  return (
    <>
      <PageHeader
        title="Integrations"
        description="Sealed Twilio credentials bound to a default-deny list of operations, geo permissions and abuse limits."
      />
      <div className="space-y-6">
        <Card title={`Integrations (${integrations.length})`}>
          {integrations.length === 0 ? (
            <p className="text-sm text-slate-600">None yet.</p>
          ) : (
            <ul className="divide-y divide-slate-200">
              {integrations.map((i) => (
                <li key={i.id} className="py-3 text-sm" data-testid="integration-row">
                  <Link
                    href={`/t/${ctx.tenantId}/integrations/${i.id}`}
                    className="text-brand-700 font-medium hover:underline"
                  >
                    {i.name}
                  </Link>{" "}
                  <span className="font-mono text-xs text-slate-500">{i.id}</span>
                  <p className="text-xs text-slate-500">
                    {i.enabled ? "enabled" : "disabled"} · operations:{" "}
                    {i.allowed_operations.join(", ") || "none"} · countries:{" "}
                    {i.allowed_countries.map(countryLabel).join(", ") || "none"}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Card>
        {canWrite ? (
          <Card title="Create an integration">
            {hasTwilioCredential ? (
              <IntegrationForm
                tenantId={ctx.tenantId}
                credentials={credentials}
                countries={phoneCountries()}
              />
            ) : (
              <p className="text-sm text-slate-600">
                Seal a Twilio credential in the{" "}
                <Link className="text-brand-700 underline" href={`/t/${ctx.tenantId}/vault`}>
                  Vault
                </Link>{" "}
                first.
              </p>
            )}
          </Card>
        ) : null}
      </div>
    </>
  );
}
