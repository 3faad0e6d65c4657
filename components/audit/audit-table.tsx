import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { MaskedPhone } from "@/components/ui/masked-phone";
import { Table, TableBody, TableCell, TableHead, TableRow } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/timestamp";

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

const OUTCOME_STYLE: Record<string, string> = {
  succeeded: "bg-emerald-50 text-emerald-800",
  allowed: "bg-emerald-50 text-emerald-800",
  denied: "bg-amber-50 text-amber-800",
  failed: "bg-red-50 text-red-700",
};

const COLUMNS = ["#", "Time (UTC)", "Action", "Actor", "Target", "Outcome", "Number"];

export function AuditTable({ tenantId, rows }: { tenantId: string; rows: AuditRowView[] }) {
  if (rows.length === 0)
    return <p className="py-6 text-center text-sm text-slate-500">No events match.</p>;
  return (
    <Table label="Audit events" className="min-w-[720px]">
      <TableHead columns={COLUMNS} />
      <TableBody>
        {rows.map((r) => (
          <TableRow key={r.id} data-testid="audit-row">
            <TableCell className="text-slate-500">
              <Link href={`/t/${tenantId}/audit/${r.id}`} className="underline">
                {r.seq}
              </Link>
            </TableCell>
            <TableCell>
              <Timestamp value={r.occurred_at} precision="second" />
            </TableCell>
            <TableCell className="font-mono text-xs">{r.action}</TableCell>
            <TableCell>
              <span className="text-slate-500">{r.actor_type}</span> {r.actor_label}
            </TableCell>
            <TableCell className="font-mono text-xs">{r.target_id ?? "—"}</TableCell>
            <TableCell>
              <span className={cn("rounded px-2 py-0.5 text-xs", OUTCOME_STYLE[r.outcome])}>
                {r.outcome}
              </span>
            </TableCell>
            <TableCell>
              <MaskedPhone value={r.destination_last2} fallback="" />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
