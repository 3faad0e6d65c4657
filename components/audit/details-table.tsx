import type { ReactNode } from "react";
import { isoDate } from "@/lib/shared/format-date";
import { Table, TableBody, TableCell, TableHead, TableRow } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/timestamp";

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** `credential_id` -> "Credential id": the stored key, readable. */
const humanKey = (key: string) => {
  const words = key.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
};

function Value({ value }: { value: unknown }): ReactNode {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "string") {
    if (ISO_TIME.test(value) && isoDate(value))
      return <Timestamp value={value} precision="second" />;
    return <span className="break-all">{value}</span>;
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "none";
    const items = value.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
    return <span className="break-all">{items.join(", ")}</span>;
  }
  // A nested object (an export's filters, say): its own fields, one a line.
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "none";
  return (
    <ul>
      {entries.map(([k, v]) => (
        <li key={k}>
          <span className="text-slate-600">{humanKey(k)}:</span> <Value value={v} />
        </li>
      ))}
    </ul>
  );
}

/** An event's details as a two-column table (field, value). */
export function DetailsTable({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <p className="text-sm text-slate-600">No further details.</p>;
  return (
    <Table label="Event details">
      <TableHead columns={["Field", "Value"]} />
      <TableBody>
        {entries.map(([key, value]) => (
          <TableRow key={key}>
            <TableCell className="w-1/3 font-medium text-slate-700">{humanKey(key)}</TableCell>
            <TableCell className="font-mono text-xs">
              <Value value={value} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
