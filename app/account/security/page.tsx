import {
  AddPasskeyForm,
  RemovePasskeyForm,
  RenamePasskeyForm,
} from "@/components/mfa/passkey-forms";
import {
  RegenerateRecoveryCodesForm,
  RemoveTotpForm,
  StartTotpForm,
  TotpSetupForm,
} from "@/components/mfa/totp-forms";
import { Card, PageHeader } from "@/components/ui/card";
import { Timestamp } from "@/components/ui/timestamp";
import { securityOverview } from "@/lib/features/mfa/queries";
import { currentUser } from "@/lib/platform/auth/current-user";
import { redirect } from "next/navigation";

export const metadata = { title: "Second factors" };

export default async function SecurityPage({ searchParams }: PageProps<"/account/security">) {
  const user = await currentUser();
  if (!user) redirect("/sign-in?callbackUrl=/account/security");
  const { required } = await searchParams;
  const overview = await securityOverview(user);
  const protectedBy = overview.totp === "on" || overview.passkeys.length > 0;
  return (
    <>
      <PageHeader
        title="Second factors"
        description="A passkey or an authenticator app protects your account if your password leaks."
      />
      {required && !protectedBy ? (
        <p role="alert" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Your organisation requires a second factor. Add a passkey or an authenticator app to
          continue.
        </p>
      ) : null}
      <div className="space-y-6">
        <Card title="Passkeys">
          {overview.passkeys.length > 0 ? (
            <ul className="mb-4 divide-y divide-slate-200" aria-label="Your passkeys">
              {overview.passkeys.map((key) => (
                <li key={key.id} className="flex flex-wrap items-end justify-between gap-3 py-3">
                  <div className="text-sm">
                    <p className="font-medium" data-testid="passkey-name">
                      {key.name}
                    </p>
                    <p className="text-slate-600">
                      Added <Timestamp value={key.createdAt} />, last used{" "}
                      <Timestamp value={key.lastUsedAt} fallback="never" />
                    </p>
                  </div>
                  <div className="flex flex-wrap items-end gap-2">
                    <RenamePasskeyForm passkeyId={key.id} name={key.name} />
                    <RemovePasskeyForm passkeyId={key.id} name={key.name} />
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mb-4 text-sm text-slate-600">No passkeys yet.</p>
          )}
          <AddPasskeyForm />
        </Card>
        <Card title="Authenticator app">
          {overview.totp === "on" ? (
            <div className="space-y-3">
              <p className="text-sm text-slate-700" data-testid="totp-status">
                On: sign-in asks for a code from your app.
              </p>
              <RemoveTotpForm />
            </div>
          ) : overview.totpSetup ? (
            <TotpSetupForm secret={overview.totpSetup.secret} qrCode={overview.totpSetup.qrCode} />
          ) : (
            <StartTotpForm />
          )}
        </Card>
        {protectedBy ? (
          <Card title="Recovery codes">
            <p className="mb-3 text-sm text-slate-700" data-testid="recovery-codes-left">
              {overview.recoveryCodesLeft} of 10 recovery codes left.
            </p>
            <RegenerateRecoveryCodesForm />
          </Card>
        ) : null}
      </div>
    </>
  );
}
