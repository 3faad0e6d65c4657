"use client";
import { useEffect, useRef, useState } from "react";
import { Button, type ButtonProps } from "./button";
import { cn } from "./cn";

type Outcome = "copied" | "select" | "failed" | null;

/**
 * Copies a value (an API key, an invite link, a URL). The clipboard API needs a secure context
 * and the page's permission; without it the value is copied through a selection, and when that
 * fails too the value is left selected in `selectTarget` for the person to copy themselves.
 * The result is announced (aria-live), and the accessible name is "Copy <what>".
 */
export function CopyButton({
  value,
  what,
  selectTarget,
  size = "sm",
  className,
}: {
  value: string;
  /** What is copied, as in "Copy <what>": "API key", "invite link". */
  what: string;
  /** The id of the element showing the value, selected when nothing else works. */
  selectTarget?: string;
  size?: ButtonProps["size"];
  className?: string;
}) {
  const [outcome, setOutcome] = useState<Outcome>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const show = (next: Outcome) => {
    setOutcome(next);
    clearTimeout(timer.current);
    if (next === "copied") timer.current = setTimeout(() => setOutcome(null), 3000);
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      show("copied");
    } catch {
      show(copyBySelection(value) ? "copied" : selectShown(selectTarget));
    }
  };
  return (
    <span className={cn("inline-flex items-center gap-2", className)}>
      <Button type="button" variant="secondary" size={size} onClick={() => void copy()}>
        {/* The name comes from the content, not aria-label, so a test's getByLabel(<what>)
            finds the value's own field only. */}
        Copy<span className="sr-only"> {what}</span>
      </Button>
      <span aria-live="polite" className="text-xs text-slate-700">
        {outcome === "copied" ? "Copied" : null}
        {outcome === "select" ? "Selected: press Ctrl+C (⌘C on a Mac) to copy" : null}
        {outcome === "failed" ? "Could not copy: select the value and copy it" : null}
      </span>
    </span>
  );
}

/** The older way: a hidden textarea, selected and copied (works outside secure contexts). */
function copyBySelection(value: string): boolean {
  const area = document.createElement("textarea");
  area.value = value;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  const focused = document.activeElement;
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    // Deprecated, yet the only fallback browsers still honour without the clipboard API.
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  if (focused instanceof HTMLElement) focused.focus();
  return ok;
}

/** Selects the value where it is shown, so the person can copy it themselves. */
function selectShown(id: string | undefined): Outcome {
  const target = id ? document.getElementById(id) : null;
  if (!target) return "failed";
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) {
    target.focus();
    target.select();
  } else {
    const range = document.createRange();
    range.selectNodeContents(target);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
  }
  return "select";
}
