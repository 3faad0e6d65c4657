import { AppError } from "@/lib/platform/errors/app-error";
import { describeFieldErrors } from "@/lib/platform/errors/field-errors";
import { textProblem } from "@/lib/shared/text";

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

/** The body's bytes, refused with 413 as soon as it is longer than `max` (declared or not). */
async function readLimited(request: Request, max: number): Promise<Uint8Array> {
  if (Number(request.headers.get("content-length")) > max) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The first string (or key) holding a control character, as a field error, or null. */
function unsafeText(
  value: unknown,
  path: string[],
  depth: number,
): Record<string, string[]> | null {
  if (depth > MAX_DEPTH) return { [path.join(".") || "_"]: ["Nested too deeply."] };
  if (typeof value === "string") {
    const problem = textProblem(value, "message");
    return problem ? { [path.join(".") || "_"]: [problem] } : null;
  }
  if (value === null || typeof value !== "object") return null;
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = textProblem(key, "line");
    if (keyProblem) return { [path.join(".") || "_"]: [`A field name: ${keyProblem}`] };
    const found = unsafeText(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Parses a JSON body of at most 64 KiB. Malformed JSON, bytes that are not UTF-8 and control
 * characters in any string (NUL, escapes; line breaks and tabs are kept) are the caller's
 * mistake (400), refused here for every route, before any schema or query sees them.
 */
export async function readJson(request: Request): Promise<unknown> {
  const bytes = await readLimited(request, MAX_BODY_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new AppError("invalid_input", "The request body must be valid JSON (UTF-8).", {
      cause: error,
    });
  }
  const fields = unsafeText(value, [], 0);
  if (fields) {
    throw new AppError("invalid_input", describeFieldErrors(fields), { fieldErrors: fields });
  }
  return value;
}
