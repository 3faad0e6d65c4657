import { Table, TableBody, TableCell, TableHead, TableRow } from "@/components/ui/table";
import type { SchemaRow } from "@/lib/features/openapi/reference";

/** The fields of a schema (or an operation's parameters) as a labelled table. */
export function SchemaTable({
  label,
  rows,
  location = false,
}: {
  label: string;
  rows: (SchemaRow & { in?: string })[];
  /** Show where each parameter goes (path, query, header). */
  location?: boolean;
}) {
  if (rows.length === 0) return <p className="text-sm text-slate-600">No fields.</p>;
  return (
    <Table label={label} dense className="min-w-[36rem]">
      <TableHead
        columns={
          location
            ? ["Name", "In", "Type", "Required", "Notes"]
            : ["Field", "Type", "Required", "Notes"]
        }
      />
      <TableBody>
        {rows.map((row) => (
          <TableRow key={`${row.in ?? ""}${row.name}`}>
            <TableCell className="font-mono text-slate-900">{row.name}</TableCell>
            {location ? <TableCell>{row.in}</TableCell> : null}
            <TableCell className="max-w-[16rem] font-mono break-words">{row.type}</TableCell>
            <TableCell>{row.required ? "yes" : "no"}</TableCell>
            <TableCell className="max-w-[24rem] break-words text-slate-700">{row.notes}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
