"use client";
import { useId, type ReactNode } from "react";
import { CopyButton } from "./copy-button";

/**
 * A secret the server shows once (an API key, an invite link): read-only, selectable, with a
 * Copy button named "Copy <label>" (first letter lower-cased: "Copy new API key").
 */
export function OneTimeSecret({
  label,
  value,
  copyWhat,
  children,
}: {
  /** The accessible name of the value's input. */
  label: string;
  value: string;
  /** What the Copy button names, when not the label ("Copy <copyWhat>"). */
  copyWhat?: string;
  /** What it is and why it is shown only now. */
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
      {children}
      <div className="flex flex-wrap items-center gap-2">
        <input
          id={id}
          readOnly
          aria-label={label}
          value={value}
          className="min-w-0 flex-1 basis-60 rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs"
        />
        <CopyButton value={value} what={copyWhat ?? lowerFirst(label)} selectTarget={id} />
      </div>
    </div>
  );
}

/** "New API key" -> "new API key"; an acronym ("URL …") keeps its case. */
function lowerFirst(label: string): string {
  return /^[A-Z][A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}
