import Link from "next/link";
import { toApiEvent } from "@/lib/features/audit/api-event";
import { auditListHref } from "@/lib/features/audit/links";
import type { loadAuditList } from "@/lib/features/audit/load-audit-list";
import { Card } from "@/components/ui/card";
import { AuditFilters } from "./audit-filters";
import { ExportLinks } from "./export-links";
import { LiveAudit } from "./live-audit";

type AuditList = Awaited<ReturnType<typeof loadAuditList>>;

/** Filters, exports and the events they select; invalid filters list nothing. */
export function AuditList({ tenantId, list }: { tenantId: string; list: AuditList }) {
  const { params, cursor, page, errors } = list;
  const here = auditListHref(tenantId, { ...params, cursor });
  const filters = new URLSearchParams(params).toString();
  return (
    <>
      <Card>
        <AuditFilters values={params} errors={errors} />
      </Card>
      <Card title="Events">
        {page ? (
          <>
            <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
              <ExportLinks tenantId={tenantId} filters={filters} />
              {cursor ? (
                <Link className="text-sm underline" href={auditListHref(tenantId, params)}>
                  ← Newest
                </Link>
              ) : null}
            </div>
            <LiveAudit
              tenantId={tenantId}
              query={filters}
              initial={page.events.map(toApiEvent)}
              // Older pages are a fixed window, not live.
              canPoll={!cursor}
              backHref={here}
            />
            {page.nextCursor ? (
              <Link
                className="mt-3 inline-block text-sm underline"
                href={auditListHref(tenantId, { ...params, cursor: String(page.nextCursor) })}
              >
                Older →
              </Link>
            ) : null}
          </>
        ) : (
          <p
            role="alert"
            className="py-6 text-center text-sm text-red-700"
            data-testid="audit-filter-error"
          >
            No events are listed until the filters are corrected.
          </p>
        )}
      </Card>
    </>
  );
}
