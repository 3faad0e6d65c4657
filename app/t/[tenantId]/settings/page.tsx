import { RetentionForm } from "@/components/forms/retention-form";
import { Card, PageHeader } from "@/components/ui/card";
import { currentSigningKey } from "@/lib/crypto/signing-keys";
import { getTenantSettings } from "@/lib/tenancy/settings";
import { tenantPage } from "@/lib/tenancy/tenant-page";

export default async function SettingsPage({ params }: PageProps<"/t/[tenantId]/settings">) {
  const ctx = await tenantPage((await params).tenantId, "tenant:read");
  const [tenant, key] = await Promise.all([
    getTenantSettings(ctx),
    currentSigningKey(ctx.tenantId),
  ]);
  return (
    <>
      <PageHeader title="Settings" description={`${tenant.name} · ${tenant.id}`} />
      <div className="space-y-6">
        <Card title="Audit retention">
          {ctx.can("settings:write") ? (
            <RetentionForm tenantId={ctx.tenantId} days={tenant.auditRetentionDays} />
          ) : (
            <p className="text-sm">{tenant.auditRetentionDays} days</p>
          )}
          <p className="mt-2 text-xs text-slate-500">
            Older events are purged daily; the chain stays verifiable from the last purged event
            (the anchor).
          </p>
        </Card>
        <Card title="Signing key">
          <p className="text-sm">
            {key.algorithm} · version {key.version} · created{" "}
            {key.createdAt.toISOString().slice(0, 10)}
          </p>
          <p className="mt-1 text-xs text-slate-500">
            SHA-256 fingerprint (pin this to verify audit exports offline):
          </p>
          <p className="font-mono text-xs break-all" data-testid="signing-fingerprint">
            {key.fingerprint}
          </p>
        </Card>
        <Card title="KMS">
          <p className="text-sm text-slate-700">
            Provider: local (master key from PQSEAL_MASTER_KEY or the data folder). AWS KMS arrives
            with the vault.
          </p>
        </Card>
      </div>
    </>
  );
}
