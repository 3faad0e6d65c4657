import { ChangePasswordForm } from "@/components/account/change-password-form";
import { Card, PageHeader } from "@/components/ui/card";
import { hasPassword } from "@/lib/features/account/queries";
import { currentUser } from "@/lib/platform/auth/current-user";
import { redirect } from "next/navigation";

export const metadata = { title: "Password" };

export default async function PasswordPage() {
  const user = await currentUser();
  if (!user) redirect("/sign-in?callbackUrl=/account");
  const withPassword = await hasPassword({ userId: user.userId });
  return (
    <>
      <PageHeader title="Password" />
      <Card title="Change password">
        {withPassword ? (
          <>
            <p className="mb-4 text-sm text-slate-600">
              Changing your password signs out your other sessions; this one stays signed in.
            </p>
            <ChangePasswordForm email={user.email} />
          </>
        ) : (
          <p className="text-sm text-slate-700" data-testid="no-password-note">
            You sign in through single sign-on, so PQSeal holds no password for you. Change your
            password at your organisation&apos;s identity provider.
          </p>
        )}
      </Card>
    </>
  );
}
