import type { InputHTMLAttributes, ReactNode } from "react";
import { cn } from "./cn";
import { errorIdOf } from "./form-control";

interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "type"> {
  label: ReactNode;
}

/** A checkbox with its label beside it; the label is its accessible name. */
export function Checkbox({ label, className, ...input }: CheckboxProps) {
  return (
    <label className={cn("inline-flex items-center gap-2 text-sm", className)}>
      <input
        type="checkbox"
        className="accent-brand-600 focus-visible:ring-brand-600/30 size-4 rounded border-slate-300 focus-visible:ring-2 focus-visible:outline-none"
        {...input}
      />
      {label}
    </label>
  );
}

/** Checkboxes that answer one question: a fieldset with a legend and the field's errors. */
export function CheckboxGroup({
  legend,
  name,
  errors,
  className,
  children,
}: {
  legend: string;
  name: string;
  errors?: string[] | undefined;
  className?: string;
  children: ReactNode;
}) {
  return (
    <fieldset aria-describedby={errors?.length ? errorIdOf(name) : undefined}>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <div className={cn("mt-1 flex flex-wrap gap-3", className)}>{children}</div>
      {errors?.length ? (
        <p id={errorIdOf(name)} className="mt-1 text-xs text-red-600">
          {errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}
