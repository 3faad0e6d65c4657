import { ComingSoon } from "@/components/shell/coming-soon";
import { tenantPage } from "@/lib/tenancy/tenant-page";

export default async function VaultPage({ params }: PageProps<"/t/[tenantId]/vault">) {
  await tenantPage((await params).tenantId, "tenant:read");
  return (
    <ComingSoon
      title="Vault"
      items={[
        "Sealed Twilio credentials: Account SID + Auth Token, API Key SID + secret, webhook signing secret",
        "ML-KEM-768 + AES-256-GCM sealing, wrapped by this tenant's KMS key",
        "Key versions, fingerprints and rotation",
      ]}
    />
  );
}
