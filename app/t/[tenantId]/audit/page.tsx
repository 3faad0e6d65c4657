import { describeFieldErrors, fieldErrorsOf } from "@/lib/platform/errors/field-errors";
import Link from "next/link";
import { AuditFilters } from "@/components/audit/audit-filters";
import { ChainActions } from "@/components/audit/chain-actions";
import { LiveAudit } from "@/components/audit/live-audit";
import { Card, PageHeader } from "@/components/ui/card";
import { Timestamp } from "@/components/ui/timestamp";
import { toApiEvent } from "@/lib/features/audit/http";
import { latestCheckpoint } from "@/lib/features/audit/checkpoints";
import { listAuditEvents } from "@/lib/features/audit/queries";
import { auditPageSchema, filtersToParams } from "@/lib/features/audit/schemas";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";

export default async function AuditPage({
  params,
  searchParams,
}: PageProps<"/t/[tenantId]/audit">) {
  const ctx = await tenantPage((await params).tenantId, "audit:read");
  const raw = Object.fromEntries(
    Object.entries(await searchParams).filter(
      (e): e is [string, string] => typeof e[1] === "string",
    ),
  );
  const parsed = auditPageSchema.safeParse(raw);
  const query = parsed.success ? parsed.data : auditPageSchema.parse({});
  const { cursor, limit, ...filters } = query;
  const [page, checkpoint] = await Promise.all([
    listAuditEvents(ctx.tenantId, query),
    latestCheckpoint(ctx.tenantId),
  ]);
  const filterParams = new URLSearchParams(filtersToParams(filters));
  const exportHref = (format: string) =>
    `/api/tenants/${ctx.tenantId}/audit/export?${new URLSearchParams({ ...filtersToParams(filters), format }).toString()}`;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every security-relevant action, newest first. Each tenant's events form a hash chain; signed checkpoints let exports be verified offline."
      />
      <div className="space-y-4">
        <Card>
          <AuditFilters values={raw} />
          {!parsed.success ? (
            <p role="alert" className="mt-3 text-sm text-red-700">
              {describeFieldErrors(fieldErrorsOf(parsed.error))}
            </p>
          ) : null}
        </Card>
        <Card>
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
            <div className="flex gap-3 text-sm">
              <a className="underline" href={exportHref("csv")}>
                Export CSV
              </a>
              <a className="underline" href={exportHref("jsonl")}>
                Export JSONL
              </a>
            </div>
            {cursor ? (
              <Link className="text-sm underline" href={`?${filterParams.toString()}`}>
                ← Newest
              </Link>
            ) : null}
          </div>
          {cursor ? (
            // Older pages are a fixed window, not live.
            <LiveAudit
              tenantId={ctx.tenantId}
              query=""
              initial={page.events.map(toApiEvent)}
              canPoll={false}
            />
          ) : (
            <LiveAudit
              tenantId={ctx.tenantId}
              query={new URLSearchParams({
                ...filtersToParams(filters),
                limit: String(limit),
              }).toString()}
              initial={page.events.map(toApiEvent)}
              canPoll
            />
          )}
          {page.nextCursor ? (
            <Link
              className="mt-3 inline-block text-sm underline"
              href={`?${new URLSearchParams({ ...filtersToParams(filters), cursor: String(page.nextCursor) }).toString()}`}
            >
              Older →
            </Link>
          ) : null}
        </Card>
        <Card title="Integrity">
          <ChainActions tenantId={ctx.tenantId} />
          <p className="mt-3 text-xs text-slate-500">
            {checkpoint ? (
              <>
                Last signed checkpoint: event #{checkpoint.seq} at{" "}
                <Timestamp value={checkpoint.signed_at} precision="second" /> UTC with key{" "}
                {checkpoint.fingerprint.slice(0, 16)}… (ML-DSA-65).
              </>
            ) : (
              "No signed checkpoint yet; one is signed daily and at each export."
            )}{" "}
            Verify an export offline with{" "}
            <code>npm run audit:verify -- file.jsonl --fingerprint &lt;key fingerprint&gt;</code>.
          </p>
        </Card>
      </div>
    </>
  );
}
