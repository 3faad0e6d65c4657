import "server-only";
import type { Db } from "@/db";
import type { RequestMeta } from "@/lib/platform/http/request-meta";
import type { AuthenticateResult } from "./authenticate";

/**
 * Passwordless sign-in: verifies a WebAuthn assertion against the single-use `sign_in`
 * challenge and opens a complete session (method `passkey`). STUB: filled in by the MFA work.
 */
export async function authenticatePasskey(
  _db: Db,
  _input: unknown,
  _meta: RequestMeta,
): Promise<AuthenticateResult> {
  return { ok: false, code: "invalid_credentials" };
}
