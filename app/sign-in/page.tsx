import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { PasskeySignIn } from "@/components/mfa/passkey-sign-in";
import { SignInError, SsoSignIn } from "@/components/sso/sso-sign-in";
import { AuthCard } from "@/components/ui/card";
import { currentUser } from "@/lib/platform/auth/current-user";
import { safeRedirectPath } from "@/lib/features/auth/safe-redirect";
import { needsSetup } from "@/lib/features/tenants/queries";

export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  if (await needsSetup()) redirect("/setup");
  const { callbackUrl, error, reset } = await searchParams;
  const next = safeRedirectPath(callbackUrl, "");
  if (await currentUser()) redirect(next || "/");
  return (
    <AuthCard title="Sign in">
      <SignInError error={error} />
      {reset === "done" ? (
        <p
          role="status"
          className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
        >
          Your password was changed and every session signed out. Sign in with your new password.
        </p>
      ) : null}
      <SignInForm callbackUrl={next || undefined} />
      <div className="mt-3">
        <PasskeySignIn callbackUrl={next || undefined} />
      </div>
      <p className="mt-3 text-sm">
        <Link href="/forgot-password" className="underline">
          Forgot your password?
        </Link>
      </p>
      <SsoSignIn callbackUrl={next || undefined} />
      <p className="mt-4 text-xs text-slate-500">
        No account? Ask an owner or admin of your organisation for an invite link.{" "}
        <Link href="/api/health" className="underline">
          Status
        </Link>
      </p>
    </AuthCard>
  );
}
