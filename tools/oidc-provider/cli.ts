// Starts the local OIDC issuer for development and e2e runs:
//   npx tsx tools/oidc-provider/cli.ts --port 4998 \
//     --client pqseal:dev-secret:http://localhost:3000/api/auth/callback/oidc \
//     --account alice:alice@acme.test --account eve:eve@acme.test:unverified
// then run PQSeal with OIDC_ISSUER=<printed issuer> OIDC_CLIENT_ID=pqseal OIDC_CLIENT_SECRET=dev-secret.
// The login form takes an account's sub or e-mail (field "login", button "Sign-in").
import { startOidcProvider, type OidcAccount, type OidcClient } from "./provider";

const args = process.argv.slice(2);
const all = (flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1] ?? ""] : []));

/** id:secret:redirect — the redirect URI holds colons of its own. */
function client(spec: string): OidcClient {
  const [id = "", secret = "", ...uri] = spec.split(":");
  if (!id || !secret || uri.length === 0)
    throw new Error(`--client ${spec}: use id:secret:redirect`);
  return { client_id: id, client_secret: secret, redirect_uris: [uri.join(":")] };
}

/** sub:email[:unverified] */
function account(spec: string): [string, OidcAccount] {
  const [sub = "", email = "", flag] = spec.split(":");
  if (!sub || !email.includes("@") || (flag !== undefined && flag !== "unverified")) {
    throw new Error(`--account ${spec}: use sub:email or sub:email:unverified`);
  }
  return [sub, { email, email_verified: flag !== "unverified" }];
}

const portArg = args[args.indexOf("--port") + 1];
const port = args.includes("--port") ? Number(portArg) : 4998;
const host = args.includes("--host")
  ? (args[args.indexOf("--host") + 1] ?? "127.0.0.1")
  : undefined;

void startOidcProvider({
  port,
  ...(host ? { host } : {}),
  clients: all("--client").map(client),
  accounts: Object.fromEntries(all("--account").map(account)),
}).then((op) => {
  console.log(op.issuer);
  const stop = () => void op.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
});
