import { ComingSoon } from "@/components/shell/coming-soon";
import { tenantPage } from "@/lib/tenancy/tenant-page";

export default async function AuditPage({ params }: PageProps<"/t/[tenantId]/audit">) {
  await tenantPage((await params).tenantId, "audit:read");
  return (
    <ComingSoon
      title="Audit log"
      items={[
        "Every security-relevant action, tamper-evident (hash chain with signed checkpoints)",
        "Filters, detail view, live mode and chain verification",
        "CSV and JSONL export",
      ]}
    />
  );
}
