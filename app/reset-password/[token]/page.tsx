import Link from "next/link";
import { ResetPasswordForm } from "@/components/account/reset-password-form";
import { AuthCard } from "@/components/ui/card";
import { resetLinkUsable } from "@/lib/features/account/queries";

export const metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ params }: PageProps<"/reset-password/[token]">) {
  const { token } = await params;
  if (!(await resetLinkUsable(token))) {
    return (
      <AuthCard title="Reset link not valid">
        <p className="text-sm text-slate-700" role="alert">
          This reset link is invalid, expired or already used. Ask for a new one, or ask an owner or
          admin of your tenant.
        </p>
        <p className="mt-4 text-sm">
          <Link href="/forgot-password" className="underline">
            Ask for a new link
          </Link>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password">
      <p className="mb-4 text-sm text-slate-600">
        Setting a new password signs you out everywhere; then sign in with it.
      </p>
      <ResetPasswordForm token={token} />
    </AuthCard>
  );
}
