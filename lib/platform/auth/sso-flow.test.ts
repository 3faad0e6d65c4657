// Single sign-on through PQSeal's real Auth.js configuration and the local OIDC issuer
// (tools/oidc-provider), without a browser: sign-in request, the issuer's login form, the
// callback (code exchange with PKCE, state and nonce; UserInfo). What happens to the verified
// profile (mappings, users, sessions) is sso.int.test.ts's subject: here it is recorded.
import { NextRequest } from "next/server";
import type { Profile } from "next-auth";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startOidcProvider, type LocalOidcProvider } from "@/tools/oidc-provider/provider";
import type * as SsoModule from "./sso";

const ISSUER_PORT = 4989;
const BASE = "http://localhost:3000";
vi.hoisted(() => {
  process.env.AUTH_SECRET = "x".repeat(40);
  process.env.OIDC_ISSUER = "http://127.0.0.1:4989";
  process.env.OIDC_CLIENT_ID = "pqseal";
  process.env.OIDC_CLIENT_SECRET = "local-client-secret";
  process.env.OIDC_NAME = "Acme SSO";
});

const seen = vi.hoisted(() => ({ profiles: [] as (Profile | undefined)[] }));
vi.mock("./sso", async (importOriginal) => {
  const real = await importOriginal<typeof SsoModule>();
  return {
    ...real,
    completeSsoSignIn: ({ user, profile }: { user: { sid?: string }; profile?: Profile }) => {
      seen.profiles.push(profile);
      if (profile?.email_verified !== true) return Promise.resolve(real.SSO_REFUSED_PATH);
      user.sid = "ses_from_sso";
      return Promise.resolve(true);
    },
  };
});

let op: LocalOidcProvider;
beforeAll(async () => {
  op = await startOidcProvider({
    port: ISSUER_PORT,
    clients: [
      {
        client_id: "pqseal",
        client_secret: "local-client-secret",
        redirect_uris: [`${BASE}/api/auth/callback/oidc`],
      },
    ],
    accounts: {
      alice: { email: "alice@acme.test", email_verified: true, name: "Alice" },
      eve: { email: "eve@acme.test", email_verified: false },
    },
  });
});
afterAll(() => op.close());

/** Cookies by name, as a browser keeps them for one site. */
function jar() {
  const cookies = new Map<string, string>();
  return {
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; "),
    take(res: Response) {
      for (const line of res.headers.getSetCookie()) {
        const [pair = ""] = line.split(";");
        const at = pair.indexOf("=");
        cookies.set(pair.slice(0, at), pair.slice(at + 1));
      }
    },
    names: () => [...cookies.keys()],
  };
}

/** The browser's part at the issuer: follow redirects, fill in the login form. */
async function atIssuer(start: string, login: string): Promise<string> {
  const cookies = jar();
  let url = start;
  let body: string | undefined;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, {
      method: body ? "POST" : "GET",
      redirect: "manual",
      headers: {
        cookie: cookies.header(),
        ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(body ? { body } : {}),
    });
    cookies.take(res);
    body = undefined;
    const location = res.headers.get("location");
    if (location?.startsWith(BASE)) return location;
    if (location) {
      url = new URL(location, url).toString();
      continue;
    }
    const action = /action="([^"]+)"/.exec(await res.text())?.[1] ?? "";
    url = new URL(action, url).toString();
    body = new URLSearchParams({ login }).toString();
  }
  throw new Error("the issuer did not send the browser back");
}

async function signInWithSso(login: string) {
  const { handlers } = await import("./auth");
  const pqseal = jar();
  const csrfRes = await handlers.GET(new NextRequest(`${BASE}/api/auth/csrf`));
  pqseal.take(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const start = await handlers.POST(
    new NextRequest(`${BASE}/api/auth/signin/oidc`, {
      method: "POST",
      headers: {
        cookie: pqseal.header(),
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${BASE}/t` }).toString(),
    }),
  );
  pqseal.take(start);
  const authorize = start.headers.get("location") ?? "";
  const callback = await atIssuer(authorize, login);
  const done = await handlers.GET(
    new NextRequest(callback, { headers: { cookie: pqseal.header() } }),
  );
  pqseal.take(done);
  return { authorize, done, cookies: pqseal.names() };
}

// A whole sign-in round trip against a real issuer: seconds on a loaded 2-core machine.
describe("single sign-on through Auth.js and the local issuer", { timeout: 20_000 }, () => {
  it("asks the issuer with PKCE, state and nonce, and signs in a verified account", async () => {
    const { authorize, done, cookies } = await signInWithSso("alice");
    const params = new URL(authorize).searchParams;
    expect(authorize.startsWith(`${op.issuer}/auth?`)).toBe(true);
    expect(params.get("scope")).toBe("openid email profile");
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("state")).toBeTruthy();
    expect(params.get("nonce")).toBeTruthy();

    expect(seen.profiles.at(-1)).toMatchObject({
      sub: "alice",
      email: "alice@acme.test",
      email_verified: true,
    });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`${BASE}/t`);
    expect(cookies).toContain("authjs.session-token");
  });

  it("sends a refused sign-in back to the sign-in page, without a session", async () => {
    const { done, cookies } = await signInWithSso("eve@acme.test");
    expect(seen.profiles.at(-1)).toMatchObject({ sub: "eve", email_verified: false });
    expect(done.headers.get("location")).toBe(`${BASE}/sign-in?error=sso_refused`);
    expect(cookies).not.toContain("authjs.session-token");
  });
});
