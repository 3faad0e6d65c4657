"use client";
import type { ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "./button";
import { Spinner } from "./spinner";

/**
 * The submit button of a form: while the form's action runs it is disabled, marked busy and
 * shows a spinner (with `pendingLabel`, "Signing in…", instead of its label if given).
 */
export function SubmitButton({
  pendingLabel,
  disabled,
  children,
  ...props
}: Omit<ButtonProps, "type"> & {
  /** Shown instead of the label while the action runs ("Signing in…"). */
  pendingLabel?: ReactNode;
}) {
  const { pending } = useFormStatus();
  return (
    <Button
      type="submit"
      disabled={pending || disabled}
      aria-busy={pending || undefined}
      {...props}
    >
      {pending ? <Spinner className="mr-2" /> : null}
      {pending && pendingLabel ? pendingLabel : children}
    </Button>
  );
}
