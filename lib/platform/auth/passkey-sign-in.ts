import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { users } from "@/db/schema";
import { env } from "@/lib/platform/config/env";
import { currentHeaders, type RequestMeta } from "@/lib/platform/http/request-meta";
import { auditInTenants, type AuthenticateResult } from "./authenticate";
import { mustUseSso } from "./factors";
import { createSession } from "./sessions";
import { relyingParty, verifyPasskey, type RelyingParty } from "./webauthn";

/**
 * Passwordless sign-in: verifies a WebAuthn assertion (`credentials.response`, the browser's
 * JSON as a string) against a single-use `sign_in` challenge and opens a complete session
 * (method `passkey`): the passkey is possession, its required user verification the second
 * factor. A refusal says no more than "invalid credentials".
 */
export async function authenticatePasskey(
  db: Db,
  input: unknown,
  meta: RequestMeta,
  rp?: RelyingParty,
): Promise<AuthenticateResult> {
  const response = (input as { response?: unknown } | null)?.response;
  if (typeof response !== "string" || response.length > 64_000) {
    return { ok: false, code: "invalid_credentials" };
  }
  const party = rp ?? relyingParty((await currentHeaders()) ?? new Headers());
  const signer = await verifyPasskey(db, { userId: null, purpose: "sign_in", response }, party);
  if (!signer) return { ok: false, code: "invalid_credentials" };
  const [user] = await db.select().from(users).where(eq(users.id, signer.userId));
  if (!user) return { ok: false, code: "invalid_credentials" };

  if (env().OIDC_ISSUER && (await mustUseSso(db, user))) {
    await db.transaction((tx) =>
      auditInTenants(tx, user, "auth.password_refused_sso", "denied", meta, {
        method: "passkey",
      }),
    );
    return { ok: false, code: "sso_required" };
  }

  const sessionId = await db.transaction(async (tx) => {
    const id = await createSession(tx, user.id, { method: "passkey", meta });
    await auditInTenants(tx, user, "auth.sign_in", "succeeded", meta, {
      session_id: id,
      method: "passkey",
      factor_id: signer.passkeyId,
    });
    return id;
  });
  return {
    ok: true,
    userId: user.id,
    email: user.email,
    name: user.name,
    sessionId,
    pendingSecondFactor: false,
  };
}
