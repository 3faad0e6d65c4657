"use client";
import Link, { useLinkStatus } from "next/link";
import { usePathname } from "next/navigation";
import { Spinner } from "@/components/ui/spinner";

/**
 * While the chosen page loads (console pages are rendered per request), a spinner beside its
 * link. Always rendered, faded in, so the link does not move.
 */
function PendingHint() {
  const { pending } = useLinkStatus();
  return (
    <>
      <Spinner className={`size-3.5 transition-opacity ${pending ? "opacity-100" : "opacity-0"}`} />
      {pending ? <span className="sr-only"> (loading)</span> : null}
    </>
  );
}

export function NavLinks({
  base,
  items,
}: {
  base: string;
  items: { href: string; label: string }[];
}) {
  const pathname = usePathname();
  return (
    <ul className="flex flex-col gap-1">
      {items.map((item) => {
        const href = `${base}${item.href}`;
        const active = item.href === "" ? pathname === base : pathname.startsWith(href);
        return (
          <li key={item.label}>
            <Link
              href={href}
              aria-current={active ? "page" : undefined}
              // On phones the menu is a <details>; close it once a page is chosen.
              onClick={(event) => event.currentTarget.closest("details")?.removeAttribute("open")}
              className={`flex items-center justify-between gap-2 rounded-md px-3 py-2 text-sm ${
                active
                  ? "bg-brand-50 text-brand-700 font-medium"
                  : "text-slate-700 hover:bg-slate-100"
              }`}
            >
              {item.label}
              <PendingHint />
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
