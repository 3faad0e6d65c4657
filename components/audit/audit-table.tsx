import Link from "next/link";

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

export function AuditTable({ tenantId, rows }: { tenantId: string; rows: AuditRowView[] }) {
  if (rows.length === 0)
    return <p className="py-6 text-center text-sm text-slate-500">No events match.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[720px] text-left text-sm" aria-label="Audit events">
        <thead className="border-b border-slate-200 text-xs text-slate-500 uppercase">
          <tr>
            <th className="py-2 pr-3">#</th>
            <th className="py-2 pr-3">Time (UTC)</th>
            <th className="py-2 pr-3">Action</th>
            <th className="py-2 pr-3">Actor</th>
            <th className="py-2 pr-3">Target</th>
            <th className="py-2 pr-3">Outcome</th>
            <th className="py-2 pr-3">Number</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.id} data-testid="audit-row" className="align-top">
              <td className="py-2 pr-3 text-slate-500">
                <Link href={`/t/${tenantId}/audit/${r.id}`} className="underline">
                  {r.seq}
                </Link>
              </td>
              <td className="py-2 pr-3 whitespace-nowrap">
                {r.occurred_at.slice(0, 19).replace("T", " ")}
              </td>
              <td className="py-2 pr-3 font-mono text-xs">{r.action}</td>
              <td className="py-2 pr-3">
                <span className="text-slate-500">{r.actor_type}</span> {r.actor_label}
              </td>
              <td className="py-2 pr-3 font-mono text-xs">{r.target_id ?? "—"}</td>
              <td className="py-2 pr-3">
                <span className={`rounded px-2 py-0.5 text-xs ${OUTCOME_STYLE[r.outcome] ?? ""}`}>
                  {r.outcome}
                </span>
              </td>
              <td className="py-2 pr-3">{r.destination_last2 ? `…${r.destination_last2}` : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
