"use client";
import { useId, type SelectHTMLAttributes } from "react";
import { cn } from "./cn";
import { ControlLabel, controlClass, describedBy } from "./form-control";

interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  name: string;
  errors?: string[] | undefined;
  hint?: string;
  /** Keep the label for screen readers only (a select in a row that already says what it is). */
  hideLabel?: boolean;
  /** Classes for the wrapping label (layout); `className` styles the select. */
  wrapperClassName?: string;
}

/** A labelled native select (keyboard and screen-reader behaviour come from the browser). */
export function Select({
  label,
  name,
  errors,
  hint,
  hideLabel,
  wrapperClassName,
  className,
  children,
  ...select
}: SelectProps) {
  const autoId = useId();
  const id = select.id ?? autoId;
  return (
    <ControlLabel
      label={label}
      name={name}
      controlId={id}
      errors={errors}
      hint={hint}
      hideLabel={hideLabel}
      className={wrapperClassName}
    >
      <select
        id={id}
        name={name}
        {...describedBy(name, errors, id, hint)}
        className={cn(controlClass, hideLabel && "mt-0", className)}
        {...select}
      >
        {children}
      </select>
    </ControlLabel>
  );
}
