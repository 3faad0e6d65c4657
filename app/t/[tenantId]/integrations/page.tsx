import { ComingSoon } from "@/components/shell/coming-soon";
import { tenantPage } from "@/lib/tenancy/tenant-page";

export default async function IntegrationsPage({
  params,
}: PageProps<"/t/[tenantId]/integrations">) {
  await tenantPage((await params).tenantId, "tenant:read");
  return (
    <ComingSoon
      title="Integrations"
      items={[
        "Twilio integrations binding sealed credentials to a default-deny list of operations",
        "Allowed destination countries, rate limits, default sender, Verify service",
      ]}
    />
  );
}
