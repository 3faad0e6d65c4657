import { AppError } from "@/lib/platform/errors/app-error";
import { describeFieldErrors } from "@/lib/platform/errors/field-errors";
import { textProblems } from "@/lib/shared/text";

/**
 * Query-string parameters as a plain object (last value wins). Values are one-line text: a
 * control or text-direction character (`?actor=%00`) is refused here with 400, for every
 * route, before any schema or query sees it.
 */
export function queryParams(url: URL): Record<string, string> {
  const params = Object.fromEntries(url.searchParams.entries());
  const fields: Record<string, string[]> = {};
  for (const { path, inName, problem } of textProblems(params, { values: "line", names: "line" })) {
    if (inName) (fields._ ??= []).push(`A parameter name: ${problem}`);
    else (fields[path[0] ?? "_"] ??= []).push(problem);
  }
  if (Object.keys(fields).length > 0) {
    throw new AppError("invalid_input", describeFieldErrors(fields), { fieldErrors: fields });
  }
  return params;
}
