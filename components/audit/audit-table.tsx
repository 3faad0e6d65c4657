import Link from "next/link";
import type { ReactNode } from "react";
import { auditEventHref } from "@/lib/features/audit/links";
import { MaskedPhone } from "@/components/ui/masked-phone";
import { Table, TableBody, TableCell, TableHead, TableRow } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/timestamp";
import { OutcomeBadge } from "./outcome-badge";

export interface AuditRowView {
  id: string;
  seq: number;
  occurred_at: string;
  action: string;
  actor_type: string;
  actor_label: string | null;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  destination_last2: string | null;
  ip: string | null;
}

const COLUMNS = ["#", "Time", "Action", "Actor", "Outcome", "Number", "Target"];

/**
 * One cell; below the md breakpoint rows stack as cards (the table's layout turns to blocks)
 * and each cell shows its column name, so actor, outcome and number stay readable at 390 px
 * without a sideways scroll.
 */
function Cell({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <TableCell className={className}>
      <span className="mr-2 inline-block min-w-20 text-xs font-medium text-slate-600 md:hidden">
        {label}
      </span>
      {children}
    </TableCell>
  );
}

export function AuditTable({
  tenantId,
  rows,
  backHref,
}: {
  tenantId: string;
  rows: AuditRowView[];
  /** The list URL the rows were listed at, so an event's "← Audit log" returns to it. */
  backHref: string;
}) {
  if (rows.length === 0)
    return <p className="py-6 text-center text-sm text-slate-600">No events match.</p>;
  return (
    <Table
      label="Audit events"
      className="max-md:block max-md:[&_tbody]:block max-md:[&_td]:flex max-md:[&_td]:items-baseline max-md:[&_td]:py-0.5 max-md:[&_tr]:block max-md:[&_tr]:py-3"
    >
      <TableHead columns={COLUMNS} className="max-md:sr-only" />
      <TableBody>
        {rows.map((r) => (
          <TableRow key={r.id} data-testid="audit-row" className="max-md:block">
            <Cell label="Event">
              {/* Named by aria-label, not a visually hidden span: an absolutely positioned
                  child gives the link a 1 px box elsewhere, where a click lands on the cell. */}
              <Link
                href={auditEventHref(tenantId, r.id, backHref)}
                aria-label={`Event #${r.seq}`}
                className="font-medium whitespace-nowrap underline"
              >
                #{r.seq}
              </Link>
            </Cell>
            <Cell label="Time">
              <Timestamp value={r.occurred_at} precision="second" />
            </Cell>
            <Cell label="Action" className="font-mono text-xs break-all">
              {r.action}
            </Cell>
            <Cell label="Actor" className="break-all">
              <span>
                <span className="text-slate-600">{r.actor_type}</span> {r.actor_label}
              </span>
            </Cell>
            <Cell label="Outcome">
              <OutcomeBadge outcome={r.outcome} />
            </Cell>
            <Cell label="Number">
              <MaskedPhone value={r.destination_last2} />
            </Cell>
            <Cell label="Target" className="font-mono text-xs break-all">
              {r.target_id ?? "—"}
            </Cell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
