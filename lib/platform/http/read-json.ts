import { AppError } from "@/lib/platform/errors/app-error";
import { describeFieldErrors } from "@/lib/platform/errors/field-errors";
import { textProblems } from "@/lib/shared/text";
import { readCappedBytes } from "./read-body";

/**
 * The most an /api/v2 JSON body may hold. The largest legitimate body (an integration with
 * every country allowed, or a 1600-character SMS) is a few KiB; more is refused with 413
 * while it streams in, before it is buffered or parsed.
 */
const MAX_BODY_BYTES = 64 * 1024;
/** Nesting no API body needs; deeper input is refused before anything walks it. */
const MAX_DEPTH = 32;

const tooLarge = () =>
  new AppError("payload_too_large", "The request body is larger than 64 KiB.", {
    remediation: "API bodies are small JSON objects: send only the documented fields.",
  });

/** The first string (or field name) holding a control character, as a field error, or null. */
function unsafeText(value: unknown): Record<string, string[]> | null {
  const found = textProblems(value, { values: "message", names: "line" }, MAX_DEPTH).next();
  if (found.done) return null;
  const { path, inName, problem } = found.value;
  // A field name's problem belongs to the object holding it.
  const field = (inName ? path.slice(0, -1) : path).join(".") || "_";
  return { [field]: [inName ? `A field name: ${problem}` : problem] };
}

/**
 * Parses a JSON body of at most 64 KiB. Malformed JSON, bytes that are not UTF-8 and control
 * characters in any string (NUL, escapes; line breaks and tabs are kept) are the caller's
 * mistake (400), refused here for every route, before any schema or query sees them.
 */
export async function readJson(request: Request): Promise<unknown> {
  const bytes = await readCappedBytes(request, MAX_BODY_BYTES);
  if (!bytes) throw tooLarge();
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new AppError("invalid_input", "The request body must be valid JSON (UTF-8).", {
      cause: error,
    });
  }
  const fields = unsafeText(value);
  if (fields) {
    throw new AppError("invalid_input", describeFieldErrors(fields), { fieldErrors: fields });
  }
  return value;
}
