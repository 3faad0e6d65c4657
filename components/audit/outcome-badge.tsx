import { cn } from "@/components/ui/cn";

const OUTCOME_STYLE: Record<string, string> = {
  succeeded: "bg-emerald-50 text-emerald-800",
  allowed: "bg-emerald-50 text-emerald-800",
  denied: "bg-amber-50 text-amber-800",
  failed: "bg-red-50 text-red-700",
};

/** An event's outcome, coloured (the word carries the meaning; the colour only helps). */
export function OutcomeBadge({ outcome }: { outcome: string }) {
  return (
    <span
      className={cn(
        "rounded px-2 py-0.5 text-xs font-medium",
        OUTCOME_STYLE[outcome] ?? "bg-slate-100 text-slate-800",
      )}
    >
      {outcome}
    </span>
  );
}
