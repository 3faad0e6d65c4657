import { AppError } from "@/lib/platform/errors/app-error";

/** Parses a JSON body; malformed JSON is the caller's mistake (400), not a server error. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch (error) {
    throw new AppError("invalid_input", "The request body must be valid JSON.", { cause: error });
  }
}
