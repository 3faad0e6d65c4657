import "server-only";
import type { Account, Profile, User } from "next-auth";
import type { Provider } from "next-auth/providers";
import type { RequestMeta } from "@/lib/platform/http/request-meta";

/** The deployment's OIDC provider when OIDC_* is configured. STUB: filled in by the SSO work. */
export function oidcProviders(): Provider[] {
  return [];
}

/**
 * Auth.js signIn callback for an OIDC sign-in: maps the verified e-mail's domain to tenants
 * and roles (owners' mappings), creates the user and memberships just in time, opens a PQSeal
 * session and sets `user.sid`. Returns true, or the sign-in page with an error to refuse.
 * STUB: filled in by the SSO work.
 */
export async function completeSsoSignIn(
  _signIn: { user: User; account: Account; profile?: Profile | undefined },
  _meta: RequestMeta,
): Promise<true | string> {
  return "/sign-in?error=sso_refused";
}
