import type { z } from "zod";
import { AppError } from "@/lib/platform/errors/app-error";
import { describeFieldErrors, fieldErrorsOf } from "@/lib/platform/errors/field-errors";

/**
 * Validates `value` with `schema`, or throws 400 `invalid_input` whose message lists every
 * problem by field (`values.username: …; payload.to: …`) and whose fieldErrors feed forms.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  options: { prefix?: string; message?: string } = {},
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = fieldErrorsOf(parsed.error, { prefix: options.prefix });
  const problems = describeFieldErrors(fields);
  throw new AppError(
    "invalid_input",
    options.message ? `${options.message} ${problems}` : problems,
    { fieldErrors: fields },
  );
}
