import type { ReactNode } from "react";
import { cn } from "./cn";

/** The look of every text input and select in the console. */
export const controlClass =
  "focus:border-brand-600 focus:ring-brand-600/30 mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm focus:ring-2 focus:outline-none aria-[invalid]:border-red-500";

type Errors = string[] | undefined;

/** The id of a control's error text; e2e tests and aria-describedby point at it. */
export const errorIdOf = (name: string) => `${name}-error`;

/** aria-invalid / aria-describedby for a control that has field errors. */
export function errorAria(name: string, errors: Errors) {
  return errors?.length
    ? { "aria-invalid": true as const, "aria-describedby": errorIdOf(name) }
    : { "aria-invalid": undefined, "aria-describedby": undefined };
}

/**
 * A control inside its label, with a hint or the field errors below it. The wrapping label
 * gives the control its accessible name; `hideLabel` keeps the name for screen readers only.
 */
export function ControlLabel({
  label,
  name,
  errors,
  hint,
  hideLabel = false,
  className,
  children,
}: {
  label: ReactNode;
  name: string;
  errors?: Errors;
  hint?: string | undefined;
  hideLabel?: boolean | undefined;
  className?: string | undefined;
  children: ReactNode;
}) {
  return (
    <label className={cn("block text-sm", className)}>
      <span className={hideLabel ? "sr-only" : "font-medium text-slate-700"}>{label}</span>
      {children}
      {hint && !errors?.length ? (
        <span className="mt-1 block text-xs text-slate-500">{hint}</span>
      ) : null}
      {errors?.length ? (
        <span id={errorIdOf(name)} className="mt-1 block text-xs text-red-600">
          {errors.join(" ")}
        </span>
      ) : null}
    </label>
  );
}
