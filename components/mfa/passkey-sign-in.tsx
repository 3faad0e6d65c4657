"use client";
import { startAuthentication } from "@simplewebauthn/browser";
import { startTransition, useActionState, useState, useTransition } from "react";
import {
  passkeySignInAction,
  passkeySignInOptionsAction,
} from "@/lib/features/mfa/sign-in-actions";
import type { ActionState } from "@/lib/shared/action-state";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

/** Passwordless sign-in: the browser offers the passkeys it holds for this site. */
export function PasskeySignIn({ callbackUrl }: { callbackUrl?: string | undefined }) {
  const [state, formAction] = useActionState<ActionState, FormData>(passkeySignInAction, {});
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const signInWithPasskey = () =>
    start(async () => {
      setError(undefined);
      try {
        const optionsJSON = await passkeySignInOptionsAction();
        const response = await startAuthentication({ optionsJSON });
        const form = new FormData();
        form.set("response", JSON.stringify(response));
        if (callbackUrl) form.set("callbackUrl", callbackUrl);
        // After an await the transition is over: the dispatch needs one of its own.
        startTransition(() => formAction(form));
      } catch {
        setError("The passkey was not used. Try again, or sign in with your password.");
      }
    });
  return (
    <div className="space-y-2">
      <Button
        type="button"
        variant="secondary"
        className="w-full"
        onClick={signInWithPasskey}
        disabled={pending}
      >
        {pending ? "Waiting for your passkey…" : "Sign in with a passkey"}
      </Button>
      <FormMessage message={error ?? state.message} />
    </div>
  );
}
