"use client";
import { revokeOtherSessionsAction, revokeSessionAction } from "@/lib/features/account/actions";
import { ActionForm } from "@/components/ui/action-form";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SubmitButton } from "@/components/ui/submit-button";

export function RevokeSessionForm({ sessionId, label }: { sessionId: string; label: string }) {
  return (
    <ActionForm
      action={revokeSessionAction}
      hiddenFields={{ sessionId }}
      className="flex flex-wrap items-center gap-2"
    >
      <SubmitButton variant="secondary" size="sm" aria-label={`Sign out ${label}`}>
        Sign out
      </SubmitButton>
    </ActionForm>
  );
}

export function RevokeOtherSessionsForm() {
  return (
    <ActionForm action={revokeOtherSessionsAction} className="flex flex-wrap items-center gap-2">
      <ConfirmDialog
        trigger="Sign out all other sessions"
        triggerProps={{ variant: "danger" }}
        title="Sign out all other sessions?"
        description="Every other browser or device signed in as you is signed out at once. This one stays signed in."
        confirmLabel="Sign out other sessions"
      />
    </ActionForm>
  );
}
