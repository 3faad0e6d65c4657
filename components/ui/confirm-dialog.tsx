"use client";
import { useId, useRef, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "./button";

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
        onClick={() => {
          dialog.current?.showModal();
          cancel.current?.focus();
        }}
      >
        {trigger}
      </Button>
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
