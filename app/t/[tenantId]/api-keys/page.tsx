import {
  ApiKeyAccessForm,
  CreateApiKeyForm,
  RevokeApiKeyForm,
  RollApiKeyForm,
} from "@/components/api-keys/api-key-forms";
import { Card, PageHeader } from "@/components/ui/card";
import { Timestamp } from "@/components/ui/timestamp";
import { listApiKeys } from "@/lib/features/api-keys/queries";
import { needsClientKey } from "@/lib/features/api-keys/scopes";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";

export const metadata = { title: "API keys" };

export default async function ApiKeysPage({ params }: PageProps<"/t/[tenantId]/api-keys">) {
  const ctx = await tenantPage((await params).tenantId, "tenant:read");
  const canWrite = ctx.can("keys:write");
  const keys = await listApiKeys({ tenantId: ctx.tenantId });
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys for machine clients (X-API-Key or Authorization: Bearer). A key with the proxy scope is bound to an ML-KEM-768 client key pair generated in your browser: proxy responses are encrypted to it. Roll a key to a new secret with a grace period; limit it to networks and to its own request rate."
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
                      : needsClientKey(k.scopes)
                        ? " · no client key (proxy unavailable)"
                        : " · no client key (none needed)"}
                  </p>
                  <p className="text-xs text-slate-500" data-testid="api-key-access">
                    networks {k.allowedCidrs.length ? k.allowedCidrs.join(", ") : "any address"} ·
                    own rate{" "}
                    {k.ratePerSecond && k.burst
                      ? `${k.ratePerSecond}/s, burst ${k.burst}`
                      : "none (the integration's limits apply)"}
                    {k.rolledAt ? (
                      <>
                        {" "}
                        · rolled <Timestamp value={k.rolledAt} />
                        {k.previousValidUntil && k.previousValidUntil > new Date() ? (
                          <>
                            , old secret valid until <Timestamp value={k.previousValidUntil} />
                          </>
                        ) : null}
                      </>
                    ) : null}
                  </p>
                  {canWrite && !k.revokedAt ? (
                    <details className="mt-2">
                      <summary className="cursor-pointer text-xs underline">
                        Roll, networks and limits
                      </summary>
                      <div className="mt-2 space-y-4 rounded border border-slate-200 p-3">
                        <RollApiKeyForm tenantId={ctx.tenantId} keyId={k.id} />
                        <ApiKeyAccessForm
                          tenantId={ctx.tenantId}
                          keyId={k.id}
                          allowedNetworks={k.allowedCidrs}
                          ratePerSecond={k.ratePerSecond}
                          burst={k.burst}
                        />
                      </div>
                    </details>
                  ) : null}
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
