import { Card, PageHeader } from "@/components/ui/card";
import { Timestamp } from "@/components/ui/timestamp";
import {
  DeleteCredentialForm,
  RotateCredentialForm,
  SealCredentialForm,
} from "@/components/vault/vault-forms";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";
import { listCredentials } from "@/lib/features/vault/queries";

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
          {credentials.length === 0 ? (
            <p className="text-sm text-slate-600">Nothing sealed yet.</p>
          ) : (
            <ul className="divide-y divide-slate-200">
              {credentials.map((c) => (
                <li key={c.id} className="space-y-2 py-3" data-testid="credential-row">
                  <div className="flex flex-col gap-1 sm:flex-row sm:items-center sm:justify-between">
                    <div className="min-w-0 text-sm">
                      <p className="font-medium">
                        {c.name} <span className="text-xs text-slate-500">{c.type}</span>
                      </p>
                      <p className="font-mono text-xs break-all text-slate-500">{c.id}</p>
                      <p className="text-xs text-slate-500">
                        version {c.version} · fingerprint{" "}
                        <span className="font-mono">{c.fingerprint}</span> · updated{" "}
                        <Timestamp value={c.updated_at} /> · last used{" "}
                        <Timestamp value={c.last_used_at} fallback="never" />
                        {c.previous_versions_valid_until[0] ? (
                          <>
                            {" "}
                            · previous version valid until{" "}
                            <Timestamp value={c.previous_versions_valid_until[0]} />
                          </>
                        ) : null}
                      </p>
                    </div>
                    {canWrite ? (
                      <DeleteCredentialForm
                        tenantId={ctx.tenantId}
                        credentialId={c.id}
                        name={c.name}
                      />
                    ) : null}
                  </div>
                  {canWrite ? (
                    <RotateCredentialForm
                      tenantId={ctx.tenantId}
                      credentialId={c.id}
                      type={c.type}
                      graceSeconds={c.grace_seconds}
                    />
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
