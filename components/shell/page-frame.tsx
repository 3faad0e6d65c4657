import type { ReactNode } from "react";
import { Main } from "@/components/ui/skip-link";

/** A signed-in page outside any tenant: the brand, a way back, and the content. */
export function PageFrame({ back, children }: { back: ReactNode; children: ReactNode }) {
  return (
    <div className="min-h-screen">
      <header className="flex flex-wrap items-center gap-4 border-b border-slate-200 bg-white px-4 py-3">
        <span className="text-brand-700 text-lg font-semibold">PQSeal</span>
        <span className="ml-auto">{back}</span>
      </header>
      <Main className="mx-auto w-full max-w-4xl px-4 py-6 sm:px-6">{children}</Main>
    </div>
  );
}
