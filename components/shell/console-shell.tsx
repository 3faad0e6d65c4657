import Link from "next/link";
import type { ReactNode } from "react";
import { Main } from "@/components/ui/skip-link";
import { signOutAction } from "@/lib/features/auth/actions";
import { NavLinks } from "./nav-links";
import { TenantSwitcher } from "./tenant-switcher";

interface ShellProps {
  tenantId: string;
  tenants: { id: string; name: string; role: string }[];
  /** Whether "New tenant" is offered (TENANT_CREATION). */
  canCreateTenant: boolean;
  navItems: { href: string; label: string }[];
  userName: string;
  role: string;
  children: ReactNode;
}

function SignOut() {
  return (
    <form action={signOutAction}>
      <button type="submit" className="text-sm text-slate-600 underline hover:text-slate-900">
        Sign out
      </button>
    </form>
  );
}

/** Sidebar at desktop widths; a collapsible menu (no JavaScript needed) on phones. */
export function ConsoleShell({
  tenantId,
  tenants,
  canCreateTenant,
  navItems,
  userName,
  role,
  children,
}: ShellProps) {
  const base = `/t/${tenantId}`;
  const sidebar = (
    <>
      <TenantSwitcher current={tenantId} tenants={tenants} canCreateTenant={canCreateTenant} />
      <nav aria-label="Console" className="mt-4">
        <NavLinks base={base} items={navItems} />
      </nav>
      <p className="mt-4 border-t border-slate-200 pt-4">
        <Link
          href={`/api-reference?from=${tenantId}`}
          className="block rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100"
        >
          API reference
        </Link>
      </p>
    </>
  );
  return (
    <div className="min-h-screen lg:flex">
      <aside className="hidden w-64 shrink-0 border-r border-slate-200 bg-white p-4 lg:block">
        <p className="text-brand-700 mb-4 text-lg font-semibold">PQSeal</p>
        {sidebar}
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 py-3">
          <details className="relative lg:hidden">
            <summary className="cursor-pointer list-none rounded-md border border-slate-300 px-3 py-1.5 text-sm">
              Menu
            </summary>
            <div className="absolute left-0 z-10 mt-2 w-64 rounded-md border border-slate-200 bg-white p-3 shadow-lg">
              {sidebar}
            </div>
          </details>
          <span className="text-brand-700 text-lg font-semibold lg:hidden">PQSeal</span>
          <div className="ml-auto flex items-center gap-3">
            <span className="hidden text-sm text-slate-600 sm:inline" data-testid="current-user">
              {userName} · <span className="capitalize">{role}</span>
            </span>
            <Link href="/account" className="text-sm text-slate-600 underline hover:text-slate-900">
              Account
            </Link>
            <SignOut />
          </div>
        </header>
        <Main className="mx-auto w-full max-w-5xl flex-1 px-4 py-6 sm:px-6">{children}</Main>
      </div>
    </div>
  );
}
