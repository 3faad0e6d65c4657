import Link from "next/link";
import { AcceptInviteForm, InviteSignUpForm } from "@/components/members/accept-invite-forms";
import { AuthCard } from "@/components/ui/card";
import { currentUser } from "@/lib/platform/auth/current-user";
import { findUsableInvite } from "@/lib/features/members/invites";
import { inviteTokenSchema } from "@/lib/features/members/schemas";

export const metadata = { title: "Accept invite" };

export default async function InvitePage({ params }: PageProps<"/invite/[token]">) {
  const { token } = await params;
  const valid = inviteTokenSchema.safeParse(token);
  const invite = valid.success ? await findUsableInvite(valid.data) : null;
  if (!invite) {
    return (
      <AuthCard title="Invite not valid">
        <p className="text-sm text-slate-700">
          This invite link is invalid, expired or already used. Ask the person who invited you for a
          new link.
        </p>
      </AuthCard>
    );
  }
  const user = await currentUser();
  return (
    <AuthCard title={`Join ${invite.tenantName}`}>
      <p className="mb-4 text-sm text-slate-600">
        You are invited as <strong>{invite.role}</strong>.
      </p>
      {user ? (
        <>
          <p className="mb-3 text-sm text-slate-600">Signed in as {user.email}.</p>
          <AcceptInviteForm token={token} />
        </>
      ) : (
        <>
          <InviteSignUpForm token={token} />
          <p className="mt-4 text-sm text-slate-600">
            Already have an account?{" "}
            <Link
              className="underline"
              href={`/sign-in?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`}
            >
              Sign in first
            </Link>
            .
          </p>
        </>
      )}
    </AuthCard>
  );
}
