import { AuditList } from "@/components/audit/audit-list";
import { IntegrityCard } from "@/components/audit/integrity-card";
import { PageHeader } from "@/components/ui/card";
import { chainStatus } from "@/lib/features/audit/chain-status";
import { loadAuditList } from "@/lib/features/audit/load-audit-list";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";

export const metadata = { title: "Audit log" };

export default async function AuditPage({
  params,
  searchParams,
}: PageProps<"/t/[tenantId]/audit">) {
  const ctx = await tenantPage((await params).tenantId, "audit:read");
  const [list, status] = await Promise.all([
    loadAuditList(ctx.tenantId, await searchParams),
    chainStatus(ctx.tenantId),
  ]);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every security-relevant action, newest first. Each tenant's events form a hash chain; signed checkpoints let exports be verified offline."
      />
      <div className="space-y-4">
        <AuditList tenantId={ctx.tenantId} list={list} />
        <IntegrityCard tenantId={ctx.tenantId} status={status} />
      </div>
    </>
  );
}
