import type { ReactNode } from "react";

/** A secret the server shows once (an API key, an invite link): read-only, selectable. */
export function OneTimeSecret({
  label,
  value,
  children,
}: {
  /** The accessible name of the value's input. */
  label: string;
  value: string;
  /** What it is and why it is shown only now. */
  children: ReactNode;
}) {
  return (
    <div role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
      {children}
      <input
        readOnly
        aria-label={label}
        value={value}
        className="w-full rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs"
      />
    </div>
  );
}
