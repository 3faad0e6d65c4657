import type { ReactNode } from "react";
import { cn } from "./cn";

/** The look of every text input and select in the console. */
export const controlClass =
  "focus:border-brand-600 focus:ring-brand-600/30 mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm focus:ring-2 focus:outline-none aria-[invalid]:border-red-500";

type Errors = string[] | undefined;

/** The id of a control's error text; e2e tests and aria-describedby point at it. */
export const errorIdOf = (name: string) => `${name}-error`;

/** The id of a control's hint text. */
const hintIdOf = (controlId: string) => `${controlId}-hint`;

/**
 * aria-invalid / aria-describedby for a control: its field errors when it has any, else its
 * hint. Neither is part of the control's name (the label alone is).
 */
export function describedBy(name: string, errors: Errors, controlId: string, hint?: string) {
  if (errors?.length) return { "aria-invalid": true as const, "aria-describedby": errorIdOf(name) };
  return { "aria-invalid": undefined, "aria-describedby": hint ? hintIdOf(controlId) : undefined };
}

/**
 * A label, its control, and a hint or the field errors below it. The label names the control
 * through `htmlFor` (so neither the hint, the errors nor a select's chosen option become part
 * of the name); hint and errors describe it (aria-describedby, see describedBy). `hideLabel`
 * keeps the name for screen readers only.
 */
export function ControlLabel({
  label,
  name,
  controlId,
  errors,
  hint,
  hideLabel = false,
  className,
  children,
}: {
  label: ReactNode;
  name: string;
  controlId: string;
  errors?: Errors;
  hint?: string | undefined;
  hideLabel?: boolean | undefined;
  className?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className={cn("block text-sm", className)}>
      <label
        htmlFor={controlId}
        className={hideLabel ? "sr-only" : "block font-medium text-slate-700"}
      >
        {label}
      </label>
      {children}
      {hint && !errors?.length ? (
        <span id={hintIdOf(controlId)} className="mt-1 block text-xs text-slate-500">
          {hint}
        </span>
      ) : null}
      {errors?.length ? (
        <span id={errorIdOf(name)} className="mt-1 block text-xs text-red-600">
          {errors.join(" ")}
        </span>
      ) : null}
    </div>
  );
}
