"use client";
import { useId, type InputHTMLAttributes } from "react";
import { cn } from "./cn";
import { ControlLabel, controlClass, describedBy } from "./form-control";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  errors?: string[] | undefined;
  hint?: string;
  /** Classes for the wrapping label (layout); `className` styles the input. */
  wrapperClassName?: string;
}

/** A labelled text input with its hint or field errors. */
export function Field({
  label,
  name,
  errors,
  hint,
  wrapperClassName,
  className,
  ...input
}: FieldProps) {
  const autoId = useId();
  const id = input.id ?? autoId;
  return (
    <ControlLabel
      label={label}
      name={name}
      controlId={id}
      errors={errors}
      hint={hint}
      className={wrapperClassName}
    >
      <input
        id={id}
        name={name}
        {...describedBy(name, errors, id, hint)}
        className={cn(controlClass, className)}
        {...input}
      />
    </ControlLabel>
  );
}
