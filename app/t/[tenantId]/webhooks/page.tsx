import { ComingSoon } from "@/components/shell/coming-soon";
import { tenantPage } from "@/lib/tenancy/tenant-page";

export default async function WebhooksPage({ params }: PageProps<"/t/[tenantId]/webhooks">) {
  await tenantPage((await params).tenantId, "tenant:read");
  return (
    <ComingSoon
      title="Webhooks"
      items={[
        "Intake URLs to paste into the Twilio Console, per integration",
        "Recent inbound events with their signature check result",
        "Forwarding attempts, dead letters and replay",
      ]}
    />
  );
}
