import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { TOTP } from "otpauth";
import { SMTPServer } from "smtp-server";
import { startOidcProvider } from "@/tools/oidc-provider/provider";

// Admin identity (#18) on a server of its own: PostgreSQL (so the test can age a session), a
// local OpenID Connect provider (tools/oidc-provider), a local SMTP sink, and `localhost` (a
// WebAuthn relying party must be a domain; Chromium's virtual authenticator stands in for the
// member's passkey).
const PORT = Number(process.env.E2E_PORT ?? 3100) + 400;
const OIDC_PORT = PORT + 1;
const SMTP_PORT = PORT + 2;
const BASE = `http://localhost:${PORT}`;
const DATABASE = "pqseal_e2e_identity";
const OIDC_CLIENT = { id: "pqseal-e2e", secret: "pqseal-e2e-client-secret-0123456789" };
const SSO_PERSON = { sub: "sso-1", email: "sam@sso-corp.test", name: "Sam Single" };

const OWNER = {
  tenant: "Identity Co",
  name: "Ida Owner",
  email: "ida@identity.test",
  password: "owner password 123",
};
const NEW_PASSWORD = "a brand new passphrase 42";

test.describe.configure({ mode: "serial" });
test.use({ baseURL: BASE });

const psql = (sql: string, database = "postgres") => {
  const run = spawnSync(
    "psql",
    ["-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql],
    {
      encoding: "utf8",
    },
  );
  if (run.status !== 0) throw new Error(`psql: ${run.stderr}`);
  return run.stdout.trim();
};

const mails: { to: string; text: string }[] = [];
let smtp: SMTPServer;
let oidc: { issuer: string; close: () => Promise<void> };
let server: ChildProcess;
let folder = "";

test.beforeAll(async () => {
  test.setTimeout(180_000);
  psql(`drop database if exists ${DATABASE} with (force)`);
  psql(`create database ${DATABASE}`);
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), text: raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(SMTP_PORT, "127.0.0.1", resolve));
  oidc = await startOidcProvider({
    port: OIDC_PORT,
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [`${BASE}/api/auth/callback/oidc`],
      },
    ],
    accounts: {
      [SSO_PERSON.sub]: { email: SSO_PERSON.email, email_verified: true, name: SSO_PERSON.name },
    },
  });
  folder = mkdtempSync(path.join(tmpdir(), "pqseal-identity-"));
  server = spawn(process.execPath, [".next/standalone/server.js"], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      HOSTNAME: "127.0.0.1",
      PORT: String(PORT),
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${DATABASE}`,
      PQSEAL_DATA_DIR: folder,
      PQSEAL_MASTER_KEY: randomBytes(32).toString("base64"),
      AUTH_SECRET: "e2e-only-secret-not-for-production-use-0123456789",
      PUBLIC_BASE_URL: BASE,
      SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
      MAIL_FROM: "PQSeal <pqseal@identity.test>",
      OIDC_ISSUER: oidc.issuer,
      OIDC_CLIENT_ID: OIDC_CLIENT.id,
      OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
      OIDC_NAME: "Corp SSO",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 120_000;
  while ((await fetch(`${BASE}/api/health/ready`).catch(() => null))?.status !== 200) {
    if (Date.now() > deadline) throw new Error(`${BASE} did not become ready`);
    await new Promise((r) => setTimeout(r, 500));
  }
});

test.afterAll(async () => {
  server?.kill("SIGTERM");
  await oidc?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  if (folder) rmSync(folder, { recursive: true, force: true });
});

let owner: Page;
let tenantId = "";
let totpSecret = "";
let recoveryCodes: string[] = [];

async function signInWithPassword(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

const totpCode = (secret: string, at = Date.now()) =>
  new TOTP({ secret, digits: 6, period: 30, algorithm: "SHA1" }).generate({ timestamp: at });

/** Chromium's virtual authenticator on this page (CTAP2, resident keys, user verification). */
async function addVirtualAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

test("setup refuses a password of one repeated letter, then creates the owner", async ({
  browser,
}) => {
  owner = await (await browser.newContext()).newPage();
  await owner.goto("/setup");
  await owner.getByLabel("Organisation (tenant) name").fill(OWNER.tenant);
  await owner.getByLabel("Your name").fill(OWNER.name);
  await owner.getByLabel("E-mail").fill(OWNER.email);
  await owner.getByLabel("Password").fill("aaaaaaaaaaaa");
  await owner.getByRole("button", { name: "Create tenant and owner" }).click();
  await expect(owner.getByRole("alert").first()).toBeVisible();
  await expect(owner).toHaveURL(/\/setup$/);
  await owner.getByLabel("Password").fill(OWNER.password);
  await owner.getByRole("button", { name: "Create tenant and owner" }).click();
  await owner.waitForURL(/\/t\/ten_[0-9A-Z]{26}$/);
  tenantId = /\/t\/(ten_[0-9A-Z]{26})/.exec(owner.url())?.[1] ?? "";
});
