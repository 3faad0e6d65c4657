import type { HTMLAttributes, ReactNode, TdHTMLAttributes } from "react";
import { cn } from "./cn";

// Cell spacing is set once on the table (not per cell), so a table can be `dense` without
// context: these primitives stay usable from server components.
const DENSITY = {
  normal: "text-sm [&_td]:py-2 [&_td]:pr-3 [&_th]:py-2 [&_th]:pr-3",
  dense: "text-xs [&_td]:py-1 [&_td]:pr-2 [&_th]:py-1 [&_th]:pr-2",
} as const;

/**
 * A horizontally scrollable table; `label` is its accessible name. The scroll area is a
 * labelled region that takes focus, so keyboard users can scroll it too (axe:
 * scrollable-region-focusable); tables whose rows stack at phone width do not need it.
 */
export function Table({
  label,
  dense = false,
  className,
  children,
}: {
  label: string;
  dense?: boolean;
  /** Extra classes for the table, e.g. a min-width before it scrolls. */
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className="focus-visible:ring-brand-600 overflow-x-auto rounded focus-visible:ring-2 focus-visible:outline-none"
    >
      <table
        aria-label={label}
        className={cn("w-full text-left", DENSITY[dense ? "dense" : "normal"], className)}
      >
        {children}
      </table>
    </div>
  );
}

/** The header row: one column heading per entry. */
export function TableHead({ columns, className }: { columns: string[]; className?: string }) {
  return (
    <thead className={cn("border-b border-slate-200 text-xs text-slate-500 uppercase", className)}>
      <tr>
        {columns.map((c) => (
          <th key={c} scope="col" className="font-medium">
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function TableBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-slate-100">{children}</tbody>;
}

export function TableRow({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cn("align-top", className)} {...props} />;
}

export function TableCell({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={className} {...props} />;
}
