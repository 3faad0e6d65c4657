import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { DeleteIntegrationForm, IntegrationForm } from "@/components/integrations/integration-form";
import { IntegrationSummary } from "@/components/integrations/integration-summary";
import { Card, PageHeader } from "@/components/ui/card";
import { findIntegration, integrationJson } from "@/lib/features/integrations/queries";
import { listCredentials } from "@/lib/features/vault/queries";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";
import { phoneCountries } from "@/lib/shared/countries";

// Once per request: the title and the page read the same integration (and check access once).
const loadIntegration = cache(async (tenantId: string, integrationId: string) => {
  const ctx = await tenantPage(tenantId, "tenant:read");
  const row = await findIntegration(ctx.tenantId, integrationId);
  if (!row) notFound();
  return { ctx, integration: integrationJson(row) };
});

export async function generateMetadata({
  params,
}: PageProps<"/t/[tenantId]/integrations/[integrationId]">): Promise<Metadata> {
  const { tenantId, integrationId } = await params;
  const { integration } = await loadIntegration(tenantId, integrationId);
  return { title: `${integration.name} · Integrations` };
}

export default async function IntegrationPage({
  params,
}: PageProps<"/t/[tenantId]/integrations/[integrationId]">) {
  const { tenantId, integrationId } = await params;
  const { ctx, integration } = await loadIntegration(tenantId, integrationId);
  const canWrite = ctx.can("integrations:write");
  const credentials = await listCredentials(ctx.tenantId);
  const nameOf = (id: string | null) =>
    id ? (credentials.find((c) => c.id === id)?.name ?? id) : null;
  return (
    <>
      <PageHeader title={integration.name} description={`${integration.id} · twilio`} />
      <div className="space-y-6">
        {canWrite ? (
          <>
            <Card title="Policy">
              <IntegrationForm
                tenantId={ctx.tenantId}
                credentials={credentials}
                countries={phoneCountries()}
                integration={integration}
              />
            </Card>
            <Card title="Danger zone">
              <DeleteIntegrationForm
                tenantId={ctx.tenantId}
                integrationId={integration.id}
                name={integration.name}
              />
            </Card>
          </>
        ) : (
          <Card title="Policy">
            <IntegrationSummary
              integration={integration}
              credentialName={nameOf(integration.credential_id) ?? integration.credential_id}
              webhookCredentialName={nameOf(integration.webhook_credential_id)}
            />
          </Card>
        )}
      </div>
    </>
  );
}
