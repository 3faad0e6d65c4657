import type { ReactNode } from "react";
import { cn } from "./cn";

/** The id of every page's main content: the skip link's target. */
const MAIN_CONTENT_ID = "main";

/**
 * The first tab stop of every page (rendered once, by the root layout): hidden until focused,
 * it jumps past the header and navigation to the page's <Main>.
 */
export function SkipLink() {
  return (
    <a
      href={`#${MAIN_CONTENT_ID}`}
      className="text-brand-700 ring-brand-600 sr-only rounded-md bg-white px-3 py-2 text-sm font-medium shadow-lg ring-2 focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50"
    >
      Skip to content
    </a>
  );
}

/**
 * A page's main landmark, the skip link's target. tabIndex -1 lets the link move focus into
 * it (so the next Tab continues from the content) without adding a tab stop.
 */
export function Main({ className, children }: { className?: string; children: ReactNode }) {
  return (
    <main id={MAIN_CONTENT_ID} tabIndex={-1} className={cn("focus:outline-none", className)}>
      {children}
    </main>
  );
}
