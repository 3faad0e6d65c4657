import { CreateApiKeyForm, RevokeApiKeyForm } from "@/components/api-keys/api-key-forms";
import { Card, PageHeader } from "@/components/ui/card";
import { Timestamp } from "@/components/ui/timestamp";
import { listApiKeys } from "@/lib/features/api-keys/queries";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";

export default async function ApiKeysPage({ params }: PageProps<"/t/[tenantId]/api-keys">) {
  const ctx = await tenantPage((await params).tenantId, "tenant:read");
  const canWrite = ctx.can("keys:write");
  const keys = await listApiKeys({ tenantId: ctx.tenantId });
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys for machine clients (X-API-Key). Each new key is bound to an ML-KEM-768 client key pair generated in your browser: proxy responses are encrypted to it."
      />
      <div className="space-y-6">
        {canWrite ? (
          <Card title="Create a key">
            <CreateApiKeyForm tenantId={ctx.tenantId} />
          </Card>
        ) : null}
        <Card title={`Keys (${keys.length})`}>
          <ul className="divide-y divide-slate-200">
            {keys.map((k) => (
              <li
                key={k.id}
                className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between"
                data-testid="api-key-row"
              >
                <div className="min-w-0 text-sm">
                  <p className="font-medium">
                    {k.name} <span className="font-mono text-xs text-slate-500">{k.prefix}…</span>
                  </p>
                  <p className="text-xs text-slate-500">
                    scopes {k.scopes.join(", ")} · created <Timestamp value={k.createdAt} /> · last
                    used <Timestamp value={k.lastUsedAt} /> · expires{" "}
                    <Timestamp value={k.expiresAt} />
                    {k.revokedAt ? (
                      <>
                        {" "}
                        · revoked <Timestamp value={k.revokedAt} />
                      </>
                    ) : null}
                    {k.clientKeyId
                      ? ` · client key ${k.clientKeyId}`
                      : " · no client key (proxy unavailable)"}
                  </p>
                </div>
                {canWrite && !k.revokedAt ? (
                  <RevokeApiKeyForm tenantId={ctx.tenantId} keyId={k.id} name={k.name} />
                ) : null}
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </>
  );
}
