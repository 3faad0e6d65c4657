import { notFound } from "next/navigation";
import { DeleteIntegrationForm, IntegrationForm } from "@/components/integrations/integration-form";
import { Card, PageHeader } from "@/components/ui/card";
import { findIntegration, integrationJson } from "@/lib/features/integrations/queries";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";
import { listCredentials } from "@/lib/features/vault/queries";

export default async function IntegrationPage({
  params,
}: PageProps<"/t/[tenantId]/integrations/[integrationId]">) {
  const { tenantId, integrationId } = await params;
  const ctx = await tenantPage(tenantId, "tenant:read");
  const row = await findIntegration(ctx.tenantId, integrationId);
  if (!row) notFound();
  const integration = integrationJson(row);
  const canWrite = ctx.can("integrations:write");
  const credentials = canWrite ? await listCredentials(ctx.tenantId) : [];
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
            <p className="text-sm">
              Operations: {integration.allowed_operations.join(", ") || "none"} · countries:{" "}
              {integration.allowed_countries.join(", ") || "none"} ·{" "}
              {integration.enabled ? "enabled" : "disabled"}
            </p>
          </Card>
        )}
      </div>
    </>
  );
}
