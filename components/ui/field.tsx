import type { InputHTMLAttributes } from "react";
import { cn } from "./cn";
import { ControlLabel, controlClass, errorAria } from "./form-control";

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
  return (
    <ControlLabel
      label={label}
      name={name}
      errors={errors}
      hint={hint}
      className={wrapperClassName}
    >
      <input
        name={name}
        {...errorAria(name, errors)}
        className={cn(controlClass, className)}
        {...input}
      />
    </ControlLabel>
  );
}
