"use client";
import { startAuthentication } from "@simplewebauthn/browser";
import { startTransition, useActionState, useState, useTransition } from "react";
import { secondFactorAction, secondFactorOptionsAction } from "@/lib/features/mfa/sign-in-actions";
import type { ActionState } from "@/lib/shared/action-state";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

/** The second step of a password sign-in: the member's passkey, app code or a recovery code. */
export function SecondFactorForms({
  callbackUrl,
  passkey,
  totp,
}: {
  callbackUrl: string;
  passkey: boolean;
  totp: boolean;
}) {
  const [state, formAction] = useActionState<ActionState, FormData>(secondFactorAction, {});
  const [passkeyError, setPasskeyError] = useState<string>();
  const [waiting, start] = useTransition();
  const withPasskey = () =>
    start(async () => {
      setPasskeyError(undefined);
      try {
        const optionsJSON = await secondFactorOptionsAction();
        const response = await startAuthentication({ optionsJSON });
        const form = new FormData();
        form.set("method", "passkey");
        form.set("response", JSON.stringify(response));
        form.set("callbackUrl", callbackUrl);
        // After an await the transition is over: the dispatch needs one of its own.
        startTransition(() => formAction(form));
      } catch {
        setPasskeyError("The passkey was not used. Try again, or use another way below.");
      }
    });
  return (
    <div className="space-y-5">
      <FormMessage message={passkeyError ?? state.message} />
      {passkey ? (
        <Button type="button" className="w-full" onClick={withPasskey} disabled={waiting}>
          {waiting ? "Waiting for your passkey…" : "Use your passkey"}
        </Button>
      ) : null}
      {totp ? (
        <form action={formAction} className="space-y-3">
          <input type="hidden" name="method" value="totp" />
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <Field
            label="Authentication code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            hint="The 6-digit code your authenticator app shows now."
            required
            errors={state.errors?.code}
          />
          <SubmitButton pendingLabel="Verifying…" className="w-full">
            Verify
          </SubmitButton>
        </form>
      ) : null}
      <details>
        <summary className="cursor-pointer text-sm underline">Use a recovery code</summary>
        <form action={formAction} className="mt-3 space-y-3">
          <input type="hidden" name="method" value="recovery_code" />
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <Field
            label="Recovery code"
            name="code"
            autoComplete="off"
            hint="Each recovery code works once."
            required
          />
          <SubmitButton variant="secondary" className="w-full">
            Use recovery code
          </SubmitButton>
        </form>
      </details>
    </div>
  );
}
