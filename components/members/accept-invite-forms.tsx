"use client";
import { acceptInviteAction, acceptInviteSignUpAction } from "@/lib/features/members/actions";
import { ActionForm } from "@/components/ui/action-form";
import { AccountFields } from "@/components/auth/account-fields";
import { SubmitButton } from "@/components/ui/submit-button";

export function AcceptInviteForm({ token }: { token: string }) {
  return (
    <ActionForm
      action={acceptInviteAction}
      hiddenFields={{ token }}
      messageAt="start"
      className="space-y-4"
    >
      <SubmitButton className="w-full">Join tenant</SubmitButton>
    </ActionForm>
  );
}

export function InviteSignUpForm({ token }: { token: string }) {
  return (
    <ActionForm
      action={acceptInviteSignUpAction}
      hiddenFields={{ token }}
      messageAt="start"
      className="space-y-4"
      noValidate
    >
      {(state) => (
        <>
          <AccountFields state={state} creating />
          <SubmitButton pendingLabel="Creating account…" className="w-full">
            Create account and join
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}
