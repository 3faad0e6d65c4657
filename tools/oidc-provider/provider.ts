// A local OpenID Connect issuer for tests and development (the `oidc-provider` package): the
// clients and accounts it is given, a plain login form (field "login", button "Sign-in") that
// takes an account's sub or e-mail without a password, and consent granted on its own. Plain
// http on 127.0.0.1/localhost: cookies are Secure only over https, and Auth.js accepts http
// issuers. Never for production.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";

export interface OidcAccount {
  email: string;
  email_verified: boolean;
  name?: string;
}

export interface OidcClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface OidcProviderOptions {
  /** 0 or unset: any free port. */
  port?: number;
  host?: string;
  clients: OidcClient[];
  /** By subject (`sub`). */
  accounts: Record<string, OidcAccount>;
}

export interface LocalOidcProvider {
  /** http://host:port, as OIDC_ISSUER. */
  issuer: string;
  close(): Promise<void>;
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

function loginPage(action: string, loginHint: string, error?: string) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign-in</title></head>
<body>
  <h1>Local OIDC provider</h1>
  ${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
  <form method="post" action="${escapeHtml(action)}">
    <label>Login <input type="text" name="login" value="${escapeHtml(loginHint)}" autofocus required></label>
    <button type="submit">Sign-in</button>
  </form>
</body></html>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function signingKey() {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), kid: "local-1", use: "sig", alg: "RS256" };
}

export async function startOidcProvider(options: OidcProviderOptions): Promise<LocalOidcProvider> {
  const host = options.host ?? "127.0.0.1";
  const accounts = options.accounts;
  // Made once the port is known (the issuer names it); requests before that get a 503.
  const ready: { provider?: Provider } = {};

  /** An account by its sub, or by its e-mail (what a person would type). */
  const accountFor = (login: string) => {
    const wanted = login.trim().toLowerCase();
    const entry = Object.entries(accounts).find(
      ([sub, a]) => sub === login.trim() || a.email.toLowerCase() === wanted,
    );
    return entry?.[0];
  };

  async function interaction(req: IncomingMessage, res: ServerResponse, p: Provider) {
    const details = await p.interactionDetails(req, res);
    const action = `/interaction/${details.uid}`;
    if (details.prompt.name === "login") {
      if (req.method !== "POST") {
        const hint = details.params.login_hint;
        res.writeHead(200, {
          "content-type": "text/html; charset=utf-8",
          "cache-control": "no-store",
        });
        res.end(loginPage(action, typeof hint === "string" ? hint : ""));
        return;
      }
      const sub = accountFor((await readForm(req)).get("login") ?? "");
      if (!sub) {
        res.writeHead(200, {
          "content-type": "text/html; charset=utf-8",
          "cache-control": "no-store",
        });
        res.end(loginPage(action, "", "No such account."));
        return;
      }
      await p.interactionFinished(
        req,
        res,
        { login: { accountId: sub } },
        {
          mergeWithLastSubmission: false,
        },
      );
      return;
    }
    // Consent is granted on its own (loadExistingGrant grants it already; this is the fallback).
    const grant = new p.Grant({
      accountId: details.session?.accountId ?? "",
      clientId: String(details.params.client_id),
    });
    grant.addOIDCScope("openid email profile");
    await p.interactionFinished(
      req,
      res,
      { consent: { grantId: await grant.save() } },
      {
        mergeWithLastSubmission: true,
      },
    );
  }

  const server = createServer((req, res) => {
    const p = ready.provider;
    if (!p) {
      res.writeHead(503).end();
      return;
    }
    if (req.url?.startsWith("/interaction/")) {
      interaction(req, res, p).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(400, { "content-type": "text/plain" });
        res.end(`interaction failed: ${error instanceof Error ? error.message : String(error)}`);
      });
      return;
    }
    void p.callback()(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host}:${port}`;

  const configuration: Configuration = {
    clients: options.clients.map((c) => ({
      ...c,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    })),
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: false } },
    // Short lives, set explicitly (the defaults log a notice each): a test signs in and is done.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
    interactions: { url: (_ctx, i) => `/interaction/${i.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts[sub];
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: account.email,
          email_verified: account.email_verified,
          name: account.name ?? account.email.slice(0, account.email.indexOf("@")),
        }),
      };
    },
    // Consent needs no click: a test or a developer signs in and is sent back at once.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
  };
  ready.provider = new Provider(issuer, configuration);

  return {
    issuer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
