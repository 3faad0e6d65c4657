"use client";
import { startRegistration } from "@simplewebauthn/browser";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import {
  addPasskeyAction,
  passkeyRegistrationOptionsAction,
  removePasskeyAction,
  renamePasskeyAction,
} from "@/lib/features/mfa/actions";
import type { ActionState, StepUpMethods } from "@/lib/shared/action-state";
import { ActionForm } from "@/components/ui/action-form";
import { useRequestStepUp } from "@/components/ui/step-up-slot";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { NewRecoveryCodes } from "./recovery-codes";

/**
 * Names a new passkey, has the browser create it, and stores it. Adding a passkey needs a
 * recent proof: when the options are refused for it, the step-up dialog asks, and the passkey
 * is created once the member confirmed (a fresh sign-in needs no dialog).
 */
export function AddPasskeyForm() {
  const router = useRouter();
  const requestStepUp = useRequestStepUp();
  const [state, setState] = useState<ActionState<{ recoveryCodes: string[] | null }>>({});
  const [pending, start] = useTransition();
  // Confirms through the dialog; false when there is none or the member cancelled it.
  const confirmed = async (methods: StepUpMethods) =>
    requestStepUp ? requestStepUp(methods) : false;
  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const value = new FormData(form).get("name");
    const name = typeof value === "string" ? value.trim() : "";
    if (!name) return setState({ errors: { name: ["Give the passkey a name."] } });
    start(async () => {
      try {
        let answer = await passkeyRegistrationOptionsAction();
        if ("stepUp" in answer && (await confirmed(answer.stepUp))) {
          answer = await passkeyRegistrationOptionsAction();
        }
        if ("stepUp" in answer) {
          setState({ message: `${answer.message}, then add the passkey again.` });
          return;
        }
        const response = await startRegistration({ optionsJSON: answer.options });
        const data = new FormData();
        data.set("name", name);
        data.set("response", JSON.stringify(response));
        let result = await addPasskeyAction({}, data);
        // The proof ran out while the device was busy: confirm, then store the same passkey
        // (its challenge is good for five minutes).
        if (result.stepUp && (await confirmed(result.stepUp))) {
          result = await addPasskeyAction({}, data);
        }
        setState(result);
        if (result.ok) {
          form.reset();
          if (!result.data?.recoveryCodes) router.refresh();
        }
      } catch {
        // Also when the browser wants a new click after the dialog (no user activation left).
        setState({ message: "The passkey was not created. Try again." });
      }
    });
  };
  return (
    <form onSubmit={add} className="space-y-3" noValidate>
      <div className="flex flex-wrap items-end gap-2">
        <Field
          label="Passkey name"
          name="name"
          placeholder="Work laptop"
          maxLength={60}
          required
          errors={state.errors?.name}
        />
        <Button type="submit" disabled={pending}>
          {pending ? "Waiting for your device…" : "Add a passkey"}
        </Button>
      </div>
      <FormMessage message={state.message} ok={state.ok} />
      {state.ok && state.data?.recoveryCodes ? (
        <NewRecoveryCodes codes={state.data.recoveryCodes} />
      ) : null}
    </form>
  );
}

export function RenamePasskeyForm({ passkeyId, name }: { passkeyId: string; name: string }) {
  return (
    <ActionForm
      action={renamePasskeyAction}
      hiddenFields={{ passkeyId }}
      className="flex flex-wrap items-end gap-2"
    >
      {(state) => (
        <>
          <Field
            label={`New name for ${name}`}
            name="name"
            defaultValue={name}
            maxLength={60}
            required
            errors={state.errors?.name}
          />
          <SubmitButton variant="secondary" size="sm">
            Rename
          </SubmitButton>
        </>
      )}
    </ActionForm>
  );
}

export function RemovePasskeyForm({ passkeyId, name }: { passkeyId: string; name: string }) {
  return (
    <ActionForm action={removePasskeyAction} hiddenFields={{ passkeyId }}>
      <ConfirmDialog
        trigger="Remove"
        triggerProps={{ size: "sm", "aria-label": `Remove passkey ${name}` }}
        title={`Remove the passkey “${name}”?`}
        description="It can no longer sign you in or confirm sensitive actions."
        confirmLabel="Remove passkey"
      />
    </ActionForm>
  );
}
