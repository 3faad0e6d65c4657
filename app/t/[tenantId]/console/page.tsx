import { ComingSoon } from "@/components/shell/coming-soon";
import { tenantPage } from "@/lib/tenancy/tenant-page";

export default async function TestConsolePage({ params }: PageProps<"/t/[tenantId]/console">) {
  await tenantPage((await params).tenantId, "console:use");
  return (
    <ComingSoon
      title="Test console"
      items={[
        "Send a test SMS through an integration",
        "Try a Verify flow: start a verification and check the code",
      ]}
    />
  );
}
