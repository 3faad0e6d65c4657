import Link from "next/link";
import { ForgotPasswordForm } from "@/components/account/forgot-password-form";
import { AuthCard } from "@/components/ui/card";
import { mailConfigured } from "@/lib/platform/mail/mailer";

export const metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <AuthCard title="Forgot your password?">
      {mailConfigured() ? (
        <>
          <p className="mb-4 text-sm text-slate-600">
            Enter the e-mail you sign in with. If it belongs to an account, we send a link to choose
            a new password; it works once, within one hour.
          </p>
          <ForgotPasswordForm />
        </>
      ) : (
        <p className="text-sm text-slate-700" data-testid="mail-not-configured">
          This PQSeal does not send e-mail. Ask an owner or admin of your tenant for a password
          reset link: they can issue one on the Members page.
        </p>
      )}
      <p className="mt-4 text-sm">
        <Link href="/sign-in" className="underline">
          Back to sign-in
        </Link>
      </p>
    </AuthCard>
  );
}
