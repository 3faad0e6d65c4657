"use client";
import Image from "next/image";
import {
  confirmTotpAction,
  regenerateRecoveryCodesAction,
  removeTotpAction,
  startTotpAction,
} from "@/lib/features/mfa/actions";
import { ActionForm } from "@/components/ui/action-form";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { NewRecoveryCodes } from "./recovery-codes";

export function StartTotpForm() {
  return (
    <ActionForm action={startTotpAction}>
      <SubmitButton pendingLabel="Preparing…">Set up an authenticator app</SubmitButton>
    </ActionForm>
  );
}

/** Scan (or type) the secret, then prove it with a first code. */
export function TotpSetupForm({ secret, qrCode }: { secret: string; qrCode: string }) {
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        Scan this code with your authenticator app (1Password, Google Authenticator, Authy…), or
        type the secret key into it.
      </p>
      <Image
        src={qrCode}
        alt="QR code for your authenticator app"
        width={200}
        height={200}
        unoptimized
        className="rounded border border-slate-200"
      />
      <label className="block text-sm">
        <span className="font-medium text-slate-800">Secret key</span>
        <input
          readOnly
          value={secret}
          data-testid="totp-secret"
          className="mt-1 w-full rounded border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-sm"
        />
      </label>
      <ActionForm
        action={confirmTotpAction}
        className="space-y-3"
        result={(state) =>
          state.ok && state.data?.recoveryCodes ? (
            <NewRecoveryCodes codes={state.data.recoveryCodes} />
          ) : null
        }
      >
        {(state) =>
          state.ok ? null : (
            <>
              <Field
                label="Code from your app"
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                errors={state.errors?.code}
              />
              <SubmitButton pendingLabel="Checking…">Turn on</SubmitButton>
            </>
          )
        }
      </ActionForm>
    </div>
  );
}

export function RemoveTotpForm() {
  return (
    <ActionForm action={removeTotpAction} className="flex flex-wrap items-center gap-2">
      <ConfirmDialog
        trigger="Remove authenticator app"
        title="Remove the authenticator app?"
        description="Codes from the app stop working at once. Keep a passkey, or add the app again, to keep your account protected."
        confirmLabel="Remove app"
      />
    </ActionForm>
  );
}

export function RegenerateRecoveryCodesForm() {
  return (
    <ActionForm
      action={regenerateRecoveryCodesAction}
      result={(state) =>
        state.ok && state.data ? <NewRecoveryCodes codes={state.data.recoveryCodes} /> : null
      }
    >
      <ConfirmDialog
        trigger="Generate new recovery codes"
        triggerProps={{ variant: "secondary" }}
        title="Generate new recovery codes?"
        description="Your current recovery codes stop working at once."
        confirmLabel="Generate codes"
      />
    </ActionForm>
  );
}
