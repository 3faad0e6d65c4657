"use client";
import type { ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "./button";

/** The submit button of a form: disabled while the form's action runs. */
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
    <Button type="submit" disabled={pending || disabled} {...props}>
      {pending && pendingLabel ? pendingLabel : children}
    </Button>
  );
}
