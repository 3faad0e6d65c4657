import { Card, PageHeader } from "@/components/ui/card";
import { CredentialList } from "@/components/vault/credential-list";
import { SealCredentialForm } from "@/components/vault/vault-forms";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";
import { listCredentials } from "@/lib/features/vault/queries";

export const metadata = { title: "Vault" };

export default async function VaultPage({ params }: PageProps<"/t/[tenantId]/vault">) {
  const ctx = await tenantPage((await params).tenantId, "tenant:read");
  const canWrite = ctx.can("vault:write");
  const credentials = await listCredentials(ctx.tenantId);
  return (
    <>
      <PageHeader
        title="Vault"
        description="Twilio credentials sealed with ML-KEM-768 + AES-256-GCM to this tenant's vault key, then wrapped by its KMS. Values are never shown again."
      />
      <div className="space-y-6">
        {canWrite ? (
          <Card title="Seal a credential">
            <SealCredentialForm tenantId={ctx.tenantId} />
          </Card>
        ) : null}
        <Card title={`Credentials (${credentials.length})`}>
          <CredentialList tenantId={ctx.tenantId} credentials={credentials} canWrite={canWrite} />
        </Card>
      </div>
    </>
  );
}
