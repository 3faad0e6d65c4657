"use client";
import { useId, useRef, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "./button";
import { Spinner } from "./spinner";

interface ConfirmDialogProps {
  /** The label of the button that opens the dialog. */
  trigger: ReactNode;
  triggerProps?: Omit<ButtonProps, "type" | "onClick" | "children">;
  title: string;
  description: ReactNode;
  /** The label of the button that carries the action out. */
  confirmLabel: string;
  /** Without it, the confirm button submits the enclosing form. */
  onConfirm?: () => void;
  /** The trigger's label while the enclosing form's action runs ("Re-wrapping…"). */
  pendingLabel?: ReactNode;
  /** Shown with a progress bar while the action runs: what is happening. */
  progress?: string;
}

/**
 * Asks before a destructive action. A native modal <dialog> (showModal): the page behind it is
 * inert, Tab stays inside, Escape cancels, and no inline script is needed under the CSP. Focus
 * starts on Cancel, so a stray Enter does nothing harmful, and returns to the trigger.
 */
export function ConfirmDialog({
  trigger,
  triggerProps,
  title,
  description,
  confirmLabel,
  onConfirm,
  pendingLabel,
  progress,
}: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const { pending } = useFormStatus();
  const close = () => dialog.current?.close();
  return (
    <>
      <Button
        variant="danger"
        {...triggerProps}
        ref={opener}
        type="button"
        aria-haspopup="dialog"
        disabled={pending || triggerProps?.disabled}
        aria-busy={pending || undefined}
        onClick={() => {
          dialog.current?.showModal();
          cancel.current?.focus();
        }}
      >
        {pending ? <Spinner className="mr-2" /> : null}
        {pending && pendingLabel ? pendingLabel : trigger}
      </Button>
      {progress ? <PendingProgress label={progress} /> : null}
      <dialog
        ref={dialog}
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={descriptionId}
        onClose={() => {
          if (!dialog.current?.contains(document.activeElement)) opener.current?.focus();
        }}
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
      >
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        <div id={descriptionId} className="mt-2 text-sm text-slate-600">
          {description}
        </div>
        <div className="mt-5 flex flex-wrap justify-end gap-2">
          <Button ref={cancel} type="button" variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button
            type={onConfirm ? "button" : "submit"}
            variant="danger"
            onClick={() => {
              // Closing first does not stop the submit: the button still belongs to the form.
              close();
              onConfirm?.();
            }}
          >
            {confirmLabel}
          </Button>
        </div>
      </dialog>
    </>
  );
}

/**
 * While the enclosing form's action runs: an indeterminate progress bar and what is happening,
 * announced politely. (No role=status: the form's result message is the page's status.)
 */
export function PendingProgress({ label }: { label: string }) {
  const { pending } = useFormStatus();
  return (
    <span aria-live="polite" className="inline-flex items-center gap-2 text-xs text-slate-700">
      {pending ? (
        <>
          <progress aria-label={label} className="accent-brand-600 h-2 w-24" />
          <span>{label}</span>
        </>
      ) : null}
    </span>
  );
}
