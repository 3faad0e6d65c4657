import type { Metadata } from "next";
import Link from "next/link";
import { EventDetails } from "@/components/audit/event-details";
import { PageHeader } from "@/components/ui/card";
import { safeBackHref } from "@/lib/features/audit/links";
import { loadAuditEvent } from "@/lib/features/audit/load-audit-event";

type Props = PageProps<"/t/[tenantId]/audit/[eventId]">;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenantId, eventId } = await params;
  const { event } = await loadAuditEvent(tenantId, eventId);
  return { title: `${event.action} · Event #${event.seq}` };
}

export default async function AuditEventPage({ params, searchParams }: Props) {
  const { tenantId, eventId } = await params;
  const { event, related, tenantId: tenant } = await loadAuditEvent(tenantId, eventId);
  const { back } = await searchParams;
  return (
    <>
      {/* Back to the list as it was filtered (a validated `back`, never an outside URL). */}
      <Link
        href={safeBackHref(tenant, typeof back === "string" ? back : undefined)}
        className="mb-3 inline-block text-sm underline"
      >
        ← Audit log
      </Link>
      <PageHeader title={`Event #${event.seq}`} description={event.action} />
      <EventDetails event={event} tenantId={tenant} related={related} />
    </>
  );
}
