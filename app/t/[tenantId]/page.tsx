import { Card, PageHeader } from "@/components/ui/card";
import { tenantPage } from "@/lib/tenancy/tenant-page";

export default async function DashboardPage({ params }: PageProps<"/t/[tenantId]">) {
  const ctx = await tenantPage((await params).tenantId, "tenant:read");
  return (
    <>
      <PageHeader title={ctx.tenantName} description={`Dashboard · you are ${ctx.role}`} />
      <div className="grid gap-4 sm:grid-cols-3">
        {["Proxy calls (24 h)", "Denials (24 h)", "Webhook rejections (24 h)"].map((label) => (
          <Card key={label}>
            <p className="text-sm text-slate-500">{label}</p>
            <p className="mt-2 text-2xl font-semibold text-slate-400">—</p>
            <p className="mt-1 text-xs text-slate-500">
              Counts appear once the audit log is recording.
            </p>
          </Card>
        ))}
      </div>
    </>
  );
}
