import type { z } from "zod";

/** What a form says above its fields when the errors are beside them. */
export const FIELD_ERRORS_MESSAGE = "Please correct the highlighted fields.";

/**
 * Zod issues as field errors: each message under the dotted path of its field (`values.username`,
 * with `prefix`: `payload.to`), or `_` when it concerns the input as a whole. Console forms name
 * their inputs by top-level key, so `topLevel` files a list item's error under its list
 * (`allowed_countries`, not `allowed_countries.2`) where the form shows it.
 */
export function fieldErrorsOf(
  error: z.ZodError,
  options: { prefix?: string; topLevel?: boolean } = {},
): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const path = options.topLevel ? issue.path.slice(0, 1) : issue.path;
    const key = [options.prefix, ...path.map(String)].filter(Boolean).join(".") || "_";
    const messages = (fields[key] ??= []);
    // Two bad list items with one reason say it once.
    if (!messages.includes(issue.message)) messages.push(issue.message);
  }
  return fields;
}

/** Field errors as one sentence a person can act on: `values.username: …; payload.to: …`. */
export function describeFieldErrors(fields: Record<string, string[]>): string {
  return Object.entries(fields)
    .map(([k, v]) => (k === "_" ? v.join(" ") : `${k}: ${v.join(" ")}`))
    .join("; ");
}
