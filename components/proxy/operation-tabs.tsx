"use client";
import { useRef, type KeyboardEvent } from "react";
import { cn } from "@/components/ui/cn";
import type { Operation } from "@/lib/features/integrations/schemas";
import { CONSOLE_OPERATIONS } from "@/lib/features/proxy/console-operations";

/** The id of an operation's tab (its panel is labelled by it). */
export const tabIdOf = (prefix: string, op: Operation) => `${prefix}-tab-${op}`;

const STEP: Record<string, (index: number, count: number) => number> = {
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_, n) => n - 1,
};

/**
 * The console's operations as WAI-ARIA tabs (horizontal, automatic activation): one tab stop,
 * Left/Right (and Home/End) move between tabs and select them; each tab controls the one panel
 * below it, which holds the form.
 */
export function OperationTabs({
  operations,
  selected,
  onSelect,
  idPrefix,
  panelId,
}: {
  operations: Operation[];
  selected: Operation;
  onSelect: (op: Operation) => void;
  idPrefix: string;
  panelId: string;
}) {
  const tabs = useRef(new Map<Operation, HTMLButtonElement>());
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = STEP[event.key];
    const next = step ? operations[step(index, operations.length)] : undefined;
    if (!next) return;
    event.preventDefault();
    onSelect(next);
    tabs.current.get(next)?.focus();
  };
  return (
    <div role="tablist" aria-label="Operation" className="flex flex-wrap gap-2">
      {operations.map((op, index) => (
        <button
          key={op}
          ref={(node) => {
            if (node) tabs.current.set(op, node);
            else tabs.current.delete(op);
          }}
          type="button"
          role="tab"
          id={tabIdOf(idPrefix, op)}
          aria-selected={op === selected}
          aria-controls={panelId}
          tabIndex={op === selected ? 0 : -1}
          onClick={() => onSelect(op)}
          onKeyDown={(event) => onKeyDown(event, index)}
          className={cn(
            "focus-visible:ring-brand-600 rounded-md border px-3 py-1.5 text-sm focus-visible:ring-2 focus-visible:ring-offset-2 focus-visible:outline-none",
            op === selected
              ? "border-brand-600 bg-brand-600 text-white"
              : "border-slate-300 bg-white text-slate-800 hover:bg-slate-100",
          )}
        >
          {CONSOLE_OPERATIONS[op].name}
        </button>
      ))}
    </div>
  );
}
