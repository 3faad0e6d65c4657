import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { AuthCard } from "@/components/ui/card";
import { currentUser } from "@/lib/platform/auth/current-user";
import { safeRedirectPath } from "@/lib/features/auth/safe-redirect";
import { needsSetup } from "@/lib/features/tenants/queries";

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  if (await needsSetup()) redirect("/setup");
  const { callbackUrl } = await searchParams;
  const next = safeRedirectPath(callbackUrl, "");
  if (await currentUser()) redirect(next || "/");
  return (
    <AuthCard title="Sign in">
      <SignInForm callbackUrl={next || undefined} />
      <p className="mt-4 text-xs text-slate-500">
        No account? Ask an owner or admin of your organisation for an invite link.{" "}
        <Link href="/api/health" className="underline">
          Status
        </Link>
      </p>
    </AuthCard>
  );
}
