import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui/card";
import { toApiEvent } from "@/lib/features/audit/http";
import { getAuditEventOrThrow } from "@/lib/features/audit/queries";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";

export default async function AuditEventPage({
  params,
}: PageProps<"/t/[tenantId]/audit/[eventId]">) {
  const { tenantId, eventId } = await params;
  const ctx = await tenantPage(tenantId, "audit:read");
  const row = await getAuditEventOrThrow({ tenantId: ctx.tenantId, id: eventId });
  if (!row) notFound();
  const event = toApiEvent(row);
  const { details, ...fields } = event;
  return (
    <>
      <PageHeader title={`Event #${event.seq}`} description={event.action} />
      <Card>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
          {Object.entries(fields).map(([key, value]) => (
            <div key={key} className="contents">
              <dt className="font-medium text-slate-500">{key}</dt>
              <dd className="font-mono text-xs break-all">
                {value === null ? "—" : String(value)}
              </dd>
            </div>
          ))}
        </dl>
        <h2 className="mt-4 mb-2 text-sm font-semibold">details</h2>
        <pre className="overflow-x-auto rounded bg-slate-100 p-3 text-xs">
          {JSON.stringify(details, null, 2)}
        </pre>
        <Link href={`/t/${ctx.tenantId}/audit`} className="mt-4 inline-block text-sm underline">
          ← Audit log
        </Link>
      </Card>
    </>
  );
}
