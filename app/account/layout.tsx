import Link from "next/link";
import { redirect } from "next/navigation";
import { Main } from "@/components/ui/skip-link";
import { signOutAction } from "@/lib/features/auth/actions";
import { currentUser } from "@/lib/platform/auth/current-user";

const ACCOUNT_NAV = [
  { href: "/account", label: "Password" },
  { href: "/account/security", label: "Second factors" },
  { href: "/account/sessions", label: "Sessions" },
] as const;

/** The signed-in member's own pages (not a tenant's): password, second factors, sessions. */
export default async function AccountLayout({ children }: LayoutProps<"/account">) {
  const user = await currentUser();
  if (!user) redirect("/sign-in?callbackUrl=/account");
  return (
    <div className="min-h-screen">
      <header className="flex flex-wrap items-center gap-4 border-b border-slate-200 bg-white px-4 py-3">
        <span className="text-brand-700 text-lg font-semibold">PQSeal</span>
        <nav aria-label="Account" className="flex flex-wrap gap-3 text-sm">
          {ACCOUNT_NAV.map((item) => (
            <Link key={item.href} href={item.href} className="underline hover:text-slate-900">
              {item.label}
            </Link>
          ))}
        </nav>
        <Link href="/" className="ml-auto text-sm underline">
          Back to the console
        </Link>
        <form action={signOutAction}>
          <button type="submit" className="text-sm text-slate-600 underline hover:text-slate-900">
            Sign out
          </button>
        </form>
      </header>
      <Main className="mx-auto w-full max-w-3xl px-4 py-6 sm:px-6">
        <p className="mb-4 text-sm text-slate-600" data-testid="account-user">
          Signed in as {user.name} ({user.email})
        </p>
        {children}
      </Main>
    </div>
  );
}
