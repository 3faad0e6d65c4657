import { AppError } from "@/lib/platform/errors/app-error";
import { describeFieldErrors } from "@/lib/platform/errors/field-errors";
import { textProblem } from "@/lib/shared/text";

/**
 * Query-string parameters as a plain object (last value wins). Values are one-line text: a
 * control or text-direction character (`?actor=%00`) is refused here with 400, for every
 * route, before any schema or query sees it.
 */
export function queryParams(url: URL): Record<string, string> {
  const params = Object.fromEntries(url.searchParams.entries());
  const fields: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(params)) {
    const keyProblem = textProblem(key, "line");
    const problem = keyProblem ? `A parameter name: ${keyProblem}` : textProblem(value, "line");
    if (problem) (fields[keyProblem ? "_" : key] ??= []).push(problem);
  }
  if (Object.keys(fields).length > 0) {
    throw new AppError("invalid_input", describeFieldErrors(fields), { fieldErrors: fields });
  }
  return params;
}
