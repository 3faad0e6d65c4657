import type { InputHTMLAttributes } from "react";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  errors?: string[] | undefined;
  hint?: string;
}

export function Field({ label, name, errors, hint, ...input }: FieldProps) {
  const errorId = `${name}-error`;
  return (
    <label className="block text-sm">
      <span className="font-medium text-slate-700">{label}</span>
      <input
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? errorId : undefined}
        className="focus:border-brand-600 focus:ring-brand-600/30 mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm focus:ring-2 focus:outline-none aria-[invalid]:border-red-500"
        {...input}
      />
      {hint && !errors?.length ? (
        <span className="mt-1 block text-xs text-slate-500">{hint}</span>
      ) : null}
      {errors?.length ? (
        <span id={errorId} className="mt-1 block text-xs text-red-600">
          {errors.join(" ")}
        </span>
      ) : null}
    </label>
  );
}
