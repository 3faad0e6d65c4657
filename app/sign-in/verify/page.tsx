import { redirect } from "next/navigation";
import { SecondFactorForms } from "@/components/mfa/second-factor-forms";
import { AuthCard } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/submit-button";
import { safeRedirectPath } from "@/lib/features/auth/safe-redirect";
import { currentPendingUser, currentUser } from "@/lib/platform/auth/current-user";
import { factorsForSignIn } from "@/lib/features/mfa/queries";
import { cancelSignInAction } from "@/lib/features/mfa/sign-in-actions";

export const metadata = { title: "Second factor" };

/** The second step of a password or single sign-on; a complete session is forwarded at once. */
export default async function VerifySecondFactorPage({
  searchParams,
}: PageProps<"/sign-in/verify">) {
  const next = safeRedirectPath((await searchParams).callbackUrl);
  if (await currentUser()) redirect(next);
  const pending = await currentPendingUser();
  if (!pending) redirect(`/sign-in?callbackUrl=${encodeURIComponent(next)}`);
  const factors = await factorsForSignIn(pending.userId);
  return (
    <AuthCard title="Confirm it is you">
      <p className="mb-4 text-sm text-slate-600">
        {pending.method === "sso" ? "Single sign-on succeeded." : "Your password was right."} Finish
        signing in as {pending.email} with your second factor.
      </p>
      <SecondFactorForms callbackUrl={next} passkey={factors.passkeys > 0} totp={factors.totp} />
      {/* Ends the pending session (not only the cookie), so someone else can sign in here. */}
      <form action={cancelSignInAction} className="mt-6 border-t border-slate-200 pt-4">
        <SubmitButton variant="secondary" className="w-full" pendingLabel="Cancelling…">
          Cancel sign-in
        </SubmitButton>
      </form>
    </AuthCard>
  );
}
