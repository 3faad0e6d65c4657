// The local OIDC issuer serves discovery and a whole authorization code flow (PKCE, the login
// form, consent granted on its own) over plain http, as PQSeal's Auth.js and Playwright use it.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOidcProvider, type LocalOidcProvider } from "./provider";

const REDIRECT = "http://127.0.0.1:3999/api/auth/callback/oidc";
let op: LocalOidcProvider;

beforeAll(async () => {
  op = await startOidcProvider({
    clients: [{ client_id: "pqseal", client_secret: "s3cret-s3cret", redirect_uris: [REDIRECT] }],
    accounts: {
      alice: { email: "alice@acme.test", email_verified: true, name: "Alice" },
      eve: { email: "eve@acme.test", email_verified: false },
    },
  });
});
afterAll(() => op.close());

/** A tiny cookie jar: the provider keeps its interaction and session in cookies. */
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
  };
}

/** Runs the code flow as a browser would and returns the token and UserInfo answers. */
async function signIn(login: string) {
  const discovery = (await (
    await fetch(`${op.issuer}/.well-known/openid-configuration`)
  ).json()) as Record<string, string>;
  const verifier = randomBytes(32).toString("base64url");
  const authorize = new URL(discovery.authorization_endpoint ?? "");
  authorize.search = new URLSearchParams({
    client_id: "pqseal",
    response_type: "code",
    redirect_uri: REDIRECT,
    scope: "openid email profile",
    state: "st",
    nonce: "nc",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();
  const cookies = jar();
  let url = authorize.toString();
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
    if (location?.startsWith(REDIRECT)) {
      const code = new URL(location).searchParams.get("code") ?? "";
      const token = await fetch(discovery.token_endpoint ?? "", {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from("pqseal:s3cret-s3cret").toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          redirect_uri: REDIRECT,
          code_verifier: verifier,
        }),
      });
      const tokens = (await token.json()) as { access_token: string; id_token: string };
      const userinfo = await fetch(discovery.userinfo_endpoint ?? "", {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      return { tokens, userinfo: (await userinfo.json()) as Record<string, unknown> };
    }
    if (location) {
      url = new URL(location, url).toString();
      continue;
    }
    const html = await res.text();
    expect(html, `hop ${hop}`).toContain('name="login"');
    expect(html).toContain(">Sign-in</button>");
    const action = /action="([^"]+)"/.exec(html)?.[1] ?? "";
    url = new URL(action, url).toString();
    body = new URLSearchParams({ login }).toString();
  }
  throw new Error("the flow did not come back to the redirect URI");
}

describe("local OIDC provider (tools/oidc-provider)", () => {
  it("serves a discovery document at the issuer", async () => {
    const res = await fetch(`${op.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.issuer).toBe(op.issuer);
    expect(doc.authorization_endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(doc.claims_supported).toEqual(expect.arrayContaining(["email", "email_verified"]));
  });

  it("signs an account in through the login form, consent granted on its own", async () => {
    const { tokens, userinfo } = await signIn("alice");
    expect(tokens.id_token).toMatch(/^ey/);
    expect(userinfo).toMatchObject({
      sub: "alice",
      email: "alice@acme.test",
      email_verified: true,
      name: "Alice",
    });
  });

  it("takes the e-mail as the login too, and tells an unverified address", async () => {
    const { userinfo } = await signIn("eve@acme.test");
    expect(userinfo).toMatchObject({ sub: "eve", email_verified: false });
  });
});
