import { ComingSoon } from "@/components/shell/coming-soon";
import { tenantPage } from "@/lib/tenancy/tenant-page";

export default async function SettingsPage({ params }: PageProps<"/t/[tenantId]/settings">) {
  await tenantPage((await params).tenantId, "tenant:read");
  return (
    <ComingSoon
      title="Settings"
      items={[
        "Tenant name and KMS provider (local or AWS KMS)",
        "Audit retention",
        "Signing keys and their fingerprints",
      ]}
    />
  );
}
