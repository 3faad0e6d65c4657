import { SIGN_IN_MESSAGES } from "@/lib/features/auth/sign-in-messages";

export const SSO_UNAVAILABLE = "Single sign-on is unavailable right now. Try again later.";
const GENERIC = "Sign-in did not complete. Please try again.";

/**
 * The message for `/sign-in?error=…`: ours (sso_refused) by name; Auth.js's own codes
 * (AccessDenied, Configuration, OAuthCallbackError, …) and anything else a link may carry get
 * one generic message, so the page never echoes the query.
 */
export function signInErrorMessage(error: unknown): string | null {
  const code = Array.isArray(error) ? (error[0] as unknown) : error;
  if (typeof code !== "string" || code === "") return null;
  if (code === "sso_refused" || code === "sso_required") return SIGN_IN_MESSAGES[code] ?? GENERIC;
  return GENERIC;
}
