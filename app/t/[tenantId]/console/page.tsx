import Link from "next/link";
import { ConsoleForm } from "@/components/proxy/test-console-form";
import { Card, PageHeader } from "@/components/ui/card";
import { listIntegrations } from "@/lib/features/integrations/queries";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";

export const metadata = { title: "Test console" };

export default async function ConsolePage({ params }: PageProps<"/t/[tenantId]/console">) {
  const ctx = await tenantPage((await params).tenantId, "console:use");
  const integrations = (await listIntegrations(ctx.tenantId)).filter((i) => i.enabled);
  return (
    <>
      <PageHeader
        title="Test console"
        description="Runs the real proxy pipeline as you: policy, limits, Twilio, audit, and an envelope that is verified and decrypted here."
      />
      <Card>
        {integrations.length === 0 ? (
          <p className="text-sm text-slate-600">
            No enabled integration.{" "}
            <Link className="text-brand-700 underline" href={`/t/${ctx.tenantId}/integrations`}>
              Create one
            </Link>
            .
          </p>
        ) : (
          <ConsoleForm
            tenantId={ctx.tenantId}
            integrations={integrations.map((i) => ({
              id: i.id,
              name: i.name,
              allowed: i.allowed_operations,
            }))}
          />
        )}
      </Card>
    </>
  );
}
