"use client";
import { startAuthentication } from "@simplewebauthn/browser";
import { useActionState, useEffect, useId, useRef, useState, useTransition } from "react";
import { signOutAction } from "@/lib/features/auth/actions";
import { stepUpAction, stepUpOptionsAction } from "@/lib/features/mfa/step-up-actions";
import type { ActionState, StepUpMethods } from "@/lib/shared/action-state";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

/**
 * Asks a member to confirm it is them before a sensitive action (a modal <dialog>): their
 * passkey, a code from their authenticator app or a recovery code, or, for members without a
 * second factor, their password (a single sign-on member with neither is told to sign in
 * again: a fresh sign-in counts as a proof). When the proof is accepted, `onConfirmed` runs the action
 * again with what was submitted, so nothing has to be typed twice.
 */
export function StepUpDialog({
  methods,
  onConfirmed,
  onCancel,
}: {
  methods: StepUpMethods;
  onConfirmed: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [state, formAction] = useActionState<ActionState, FormData>(stepUpAction, {});
  const [passkeyError, setPasskeyError] = useState<string>();
  const [passkeyPending, startPasskey] = useTransition();

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  useEffect(() => {
    // Confirmed first: closing the dialog afterwards reports a cancel, which then changes nothing.
    if (state.ok) {
      onConfirmed();
      dialog.current?.close();
    }
  }, [state, onConfirmed]);

  const usePasskey = () =>
    startPasskey(async () => {
      setPasskeyError(undefined);
      try {
        const optionsJSON = await stepUpOptionsAction();
        const response = await startAuthentication({ optionsJSON });
        const form = new FormData();
        form.set("method", "passkey");
        form.set("response", JSON.stringify(response));
        formAction(form);
      } catch {
        setPasskeyError("The passkey was not used. Try again, or use another way below.");
      }
    });

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onClose={onCancel}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
    >
      <h2 id={titleId} className="text-base font-semibold">
        Confirm it is you
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        {methods.enrolFirst
          ? "This action is sensitive, and needs a recent sign-in."
          : `This action is sensitive. Confirm with ${
              methods.password ? "your password" : "your second factor"
            }; the action then continues.`}
      </p>
      <div className="mt-4 space-y-4">
        <FormMessage message={state.ok ? undefined : state.message} />
        {methods.enrolFirst ? (
          // Single sign-on only, no second factor: nothing here can confirm, and adding a
          // factor needs a recent proof too. A fresh sign-in is one, for a few minutes.
          <div className="space-y-3 text-sm">
            <p>
              You sign in with single sign-on, so there is nothing to confirm with here. Sign out,
              then sign in again with single sign-on: for a few minutes after signing in, this
              action (and adding a passkey or an authenticator app, which lets you confirm here
              later) needs no confirmation.
            </p>
            <form action={signOutAction}>
              <Button type="submit">Sign out</Button>
            </form>
          </div>
        ) : null}
        {methods.passkey ? (
          <div>
            <Button type="button" onClick={usePasskey} disabled={passkeyPending}>
              {passkeyPending ? "Waiting for your passkey…" : "Use your passkey"}
            </Button>
            <FormMessage message={passkeyError} />
          </div>
        ) : null}
        {methods.totp ? (
          <form action={formAction} className="flex flex-wrap items-end gap-2">
            <input type="hidden" name="method" value="totp" />
            <Field
              label="Authentication code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
            />
            <SubmitButton>Confirm</SubmitButton>
          </form>
        ) : null}
        {methods.recoveryCode ? (
          <details>
            <summary className="cursor-pointer text-sm underline">Use a recovery code</summary>
            <form action={formAction} className="mt-2 flex flex-wrap items-end gap-2">
              <input type="hidden" name="method" value="recovery_code" />
              <Field label="Recovery code" name="code" autoComplete="off" required />
              <SubmitButton>Confirm with recovery code</SubmitButton>
            </form>
          </details>
        ) : null}
        {methods.password ? (
          <form action={formAction} className="flex flex-wrap items-end gap-2">
            <input type="hidden" name="method" value="password" />
            <Field
              label="Your password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
            />
            <SubmitButton>Confirm</SubmitButton>
          </form>
        ) : null}
      </div>
      <div className="mt-5 flex justify-end">
        <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
          Cancel
        </Button>
      </div>
    </dialog>
  );
}
