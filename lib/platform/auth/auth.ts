import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db";
import { servedOverHttps } from "@/lib/platform/http/client-address";
import { currentHeaders, requestMetaFrom } from "@/lib/platform/http/request-meta";
import { logger } from "@/lib/platform/log/logger";
import { authSecret } from "./auth-secret";
import { authenticate, type AuthenticateResult } from "./authenticate";
import { authenticatePasskey } from "./passkey-sign-in";
import { completeSsoSignIn, oidcProviders } from "./sso";
import { ABSOLUTE_SESSION_MS } from "./sessions";

declare module "next-auth" {
  interface Session {
    sid?: string;
  }
  interface User {
    sid?: string;
  }
}

class SignInRefused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

/** A sign-in's outcome as Auth.js wants it: our session id in the user, or a coded refusal. */
function signedIn(result: AuthenticateResult) {
  if (!result.ok) throw new SignInRefused(result.code);
  return { id: result.userId, email: result.email, name: result.name, sid: result.sessionId };
}

export const { handlers, auth, signIn, signOut } = NextAuth(async (request) => ({
  secret: authSecret(),
  trustHost: true,
  // `Secure` (and the __Secure- prefix) whenever browsers reach us over https: PUBLIC_BASE_URL
  // is https, or a trusted proxy says so. Auth.js alone would believe any X-Forwarded-Proto.
  // The same answer for route handlers and server components, or they would name the cookie apart.
  useSecureCookies: servedOverHttps(request?.headers ?? (await currentHeaders())),
  // The cookie carries only the server-side session id; idle expiry and revocation are
  // enforced in lib/platform/auth/sessions.ts on every request.
  // The cookie lives as long as the longest possible session; Auth.js cannot refresh it from
  // server components, so tying it to the idle window would end active sessions at 8 h.
  session: { strategy: "jwt", maxAge: ABSOLUTE_SESSION_MS / 1000 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  // Refused sign-ins are expected (and audited); anything else Auth.js reports goes to our log,
  // by name and type only: its messages can quote request data.
  logger: {
    error: (error) => {
      const type = (error as { type?: string }).type;
      if (type !== "CredentialsSignin")
        logger().error({ authError: error.name, type }, "auth error");
    },
    warn: (code) => logger().warn({ authWarning: code }, "auth warning"),
    debug: () => {},
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      authorize: async (credentials, request) =>
        signedIn(await authenticate(getDb(), credentials, requestMetaFrom(request.headers))),
    }),
    // Passwordless: a passkey alone (user verification makes it two factors in one).
    Credentials({
      id: "passkey",
      credentials: { response: {} },
      authorize: async (credentials, request) =>
        signedIn(await authenticatePasskey(getDb(), credentials, requestMetaFrom(request.headers))),
    }),
    // OpenID Connect single sign-on, when the deployment configures it (OIDC_* settings).
    ...oidcProviders(),
  ],
  callbacks: {
    // A single sign-on becomes a PQSeal session (and membership, as owners mapped it) here.
    async signIn({ user, account, profile }) {
      if (account?.type !== "oidc") return true;
      const meta = requestMetaFrom(request?.headers ?? (await currentHeaders()) ?? new Headers());
      return completeSsoSignIn({ user, account, profile }, meta);
    },
    jwt({ token, user }) {
      if (user?.sid) token.sid = user.sid;
      return token;
    },
    session({ session, token }) {
      if (typeof token.sid === "string") session.sid = token.sid;
      return session;
    },
  },
}));
