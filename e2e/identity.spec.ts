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
  email: "ida@sso-corp.test",
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
      // The owner proves the domain through single sign-on before mapping it.
      ida: { email: OWNER.email, email_verified: true, name: OWNER.name },
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
let ownerPassword = OWNER.password;
let totpSecret = "";
let recoveryCodes: string[] = [];
let lastTotpStep = 0;

async function signInWithPassword(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/**
 * A TOTP code PQSeal has not seen yet: the next time step (inside its ±1 window), waiting for
 * the clock when that step was already used (a used step is refused as a replay).
 */
async function freshTotpCode(): Promise<string> {
  for (;;) {
    const step = Math.floor(Date.now() / 30_000) + 1;
    if (step > lastTotpStep) {
      lastTotpStep = step;
      const totp = new TOTP({ secret: totpSecret, digits: 6, period: 30, algorithm: "SHA1" });
      return totp.generate({ timestamp: step * 30_000 });
    }
    await new Promise((r) => setTimeout(r, (step - 1) * 30_000 + 30_100 - Date.now()));
  }
}

/** The sign-out button lives in the console's header. */
async function signOut(page: Page) {
  await page.goto(`/t/${tenantId}`);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/sign-in/);
}

/** The reset link of the last mail to `to` (quoted-printable soft breaks undone). */
function resetLinkMailedTo(to: string): string | undefined {
  const mail = mails.filter((m) => m.to === to).at(-1);
  const text = mail?.text.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  return /http:\/\/localhost:\d+\/reset-password\/[A-Za-z0-9_-]{43}/.exec(text ?? "")?.[0];
}

/** Ages every open session of `email` past the step-up window, as if 11 minutes had passed. */
function ageSessions(email: string) {
  psql(
    `update user_sessions set step_up_at = now() - interval '11 minutes' where revoked_at is null and user_id = (select id from users where email = '${email}')`,
    DATABASE,
  );
}

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
  // zxcvbn's advice, beside the field.
  await expect(owner.getByText(/repeat/i)).toBeVisible();
  await expect(owner).toHaveURL(/\/setup$/);
  await owner.getByLabel("Password").fill(OWNER.password);
  await owner.getByRole("button", { name: "Create tenant and owner" }).click();
  await owner.waitForURL(/\/t\/ten_[0-9A-Z]{26}$/);
  tenantId = /\/t\/(ten_[0-9A-Z]{26})/.exec(owner.url())?.[1] ?? "";
});

test("a password reset through the SMTP sink sets the password and ends every session", async ({
  browser,
}) => {
  const other = await (await browser.newContext()).newPage();
  await other.goto("/forgot-password");
  await other.getByLabel("E-mail").fill(OWNER.email);
  await other.getByRole("button", { name: "Send reset link" }).click();
  await expect(other.getByRole("status")).toContainText("If an account exists");
  await expect.poll(() => resetLinkMailedTo(OWNER.email), { timeout: 15_000 }).toBeTruthy();
  const link = resetLinkMailedTo(OWNER.email) ?? "";
  // An unknown e-mail gets the same answer and no mail.
  await other.goto("/forgot-password");
  await other.getByLabel("E-mail").fill("nobody@identity.test");
  await other.getByRole("button", { name: "Send reset link" }).click();
  await expect(other.getByRole("status")).toContainText("If an account exists");

  await other.goto(link);
  await other.getByLabel(/^New password/).fill(NEW_PASSWORD);
  await other.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await other.getByRole("button", { name: "Set new password" }).click();
  await other.waitForURL(/\/sign-in\?reset=done/);
  await expect(other.getByRole("status")).toContainText("every session signed out");
  ownerPassword = NEW_PASSWORD;

  // The owner's open session ended with the reset; the link works once.
  await owner.goto(`/t/${tenantId}`);
  await expect(owner).toHaveURL(/\/sign-in/);
  await other.goto(link);
  await expect(other.getByRole("heading", { name: "Reset link not valid" })).toBeVisible();

  await signInWithPassword(owner, OWNER.email, OWNER.password);
  await expect(owner.getByRole("alert").first()).toContainText("Wrong e-mail or password.");
  await signInWithPassword(owner, OWNER.email, ownerPassword);
  await owner.waitForURL(/\/t\/ten_[0-9A-Z]{26}$/);
  await other.context().close();
});

test("single sign-on through the local OIDC provider creates the membership the mapping says", async ({
  browser,
}) => {
  // A password session cannot map a domain: the owner signs in through SSO as someone @ it.
  await owner.goto(`/t/${tenantId}/settings`);
  await expect(owner.getByTestId("sso-issuer")).toContainText(oidc.issuer);
  await expect(owner.getByTestId("sso-mapping-proof")).toContainText("can map no domain");
  await signOut(owner);
  await owner.getByRole("button", { name: "Sign in with Corp SSO" }).click();
  await owner.getByLabel("Login").fill(OWNER.email);
  await owner.getByRole("button", { name: "Sign-in" }).click();
  await owner.waitForURL(new RegExp(`/t/${tenantId}$`));
  await owner.goto(`/t/${tenantId}/settings`);
  await owner.getByLabel("E-mail domain").fill("sso-corp.test");
  await owner.getByRole("combobox", { name: "Role", exact: true }).selectOption("auditor");
  // Not SSO-only: the owner keeps signing in with a password in the tests below.
  await owner.getByLabel("Members must use single sign-on").uncheck();
  await owner.getByRole("button", { name: "Add mapping" }).click();
  await expect(owner.getByText("sso-corp.test mapped.")).toBeVisible();

  const sam = await (await browser.newContext()).newPage();
  await sam.goto("/sign-in");
  await sam.getByRole("button", { name: "Sign in with Corp SSO" }).click();
  await sam.getByLabel("Login").fill(SSO_PERSON.email);
  await sam.getByRole("button", { name: "Sign-in" }).click();
  await sam.waitForURL(new RegExp(`/t/${tenantId}$`));
  await expect(sam.getByTestId("current-user")).toContainText(SSO_PERSON.name);
  await expect(sam.getByTestId("current-user")).toContainText("auditor");

  await owner.goto(`/t/${tenantId}/members`);
  await expect(owner.getByTestId("member-row").filter({ hasText: SSO_PERSON.email })).toContainText(
    /auditor/i,
  );
  await sam.context().close();
});

test("an owner enrols TOTP, signs in with a code, then with a recovery code", async () => {
  await owner.goto("/account/security");
  await owner.getByRole("button", { name: "Set up an authenticator app" }).click();
  totpSecret = await owner.getByLabel("Secret key").inputValue();
  expect(totpSecret).toMatch(/^[A-Z2-7]{16,}$/);
  await owner.getByLabel("Code from your app").fill(await freshTotpCode());
  await owner.getByRole("button", { name: "Turn on" }).click();
  const codes = owner.getByRole("list", { name: "Recovery codes" }).locator("code");
  await expect(codes).toHaveCount(10);
  recoveryCodes = await codes.allInnerTexts();
  await owner.getByRole("button", { name: "Done" }).click();
  await expect(owner.getByTestId("totp-status")).toContainText("On");

  await signOut(owner);
  await signInWithPassword(owner, OWNER.email, ownerPassword);
  await owner.waitForURL(/\/sign-in\/verify/);
  await owner.getByLabel("Authentication code").fill("000000");
  await owner.getByRole("button", { name: "Verify" }).click();
  await expect(owner.getByRole("alert").first()).toContainText("not right");
  await owner.getByLabel("Authentication code").fill(await freshTotpCode());
  await owner.getByRole("button", { name: "Verify" }).click();
  await owner.waitForURL(new RegExp(`/t/${tenantId}$`));

  await signOut(owner);
  await signInWithPassword(owner, OWNER.email, ownerPassword);
  await owner.waitForURL(/\/sign-in\/verify/);
  await owner.getByText("Use a recovery code").click();
  await owner.getByLabel("Recovery code").fill(recoveryCodes[0] ?? "");
  await owner.getByRole("button", { name: "Use recovery code" }).click();
  await owner.waitForURL(new RegExp(`/t/${tenantId}$`));
  await owner.goto("/account/security");
  await expect(owner.getByTestId("recovery-codes-left")).toContainText("9");
});

test("a sensitive action asks for step-up, then completes with what was submitted", async () => {
  ageSessions(OWNER.email);
  await owner.goto(`/t/${tenantId}/members`);
  await owner.getByRole("combobox", { name: "Role" }).first().selectOption("operator");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const dialog = owner.getByRole("dialog", { name: "Confirm it is you" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Authentication code").fill("123456");
  await dialog.getByRole("button", { name: "Confirm", exact: true }).click();
  await expect(dialog.getByRole("alert").first()).toBeVisible();
  await dialog.getByLabel("Authentication code").fill(await freshTotpCode());
  await dialog.getByRole("button", { name: "Confirm", exact: true }).click();
  await expect(dialog).toBeHidden();
  const link = owner.getByLabel("Invite link");
  await expect(link).toBeVisible();
  expect(await link.inputValue()).toMatch(/\/invite\//);
});

test("a tenant requiring MFA sends a new member to enrol; a passkey, then passwordless sign-in", async ({
  browser,
}) => {
  await owner.goto(`/t/${tenantId}/settings`);
  await owner.getByLabel(/Require a second factor/).check();
  await owner.getByRole("button", { name: "Save policy" }).click();
  await expect(owner.getByText("Every member now needs a second factor.")).toBeVisible();

  await owner.goto(`/t/${tenantId}/members`);
  await owner.getByRole("combobox", { name: "Role" }).first().selectOption("operator");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const invite = await owner.getByLabel("Invite link").inputValue();

  const context = await browser.newContext();
  const member = await context.newPage();
  await addVirtualAuthenticator(context, member);
  await member.goto(invite);
  await member.getByLabel("Your name").fill("Pia Passkey");
  await member.getByLabel("E-mail").fill("pia@identity.test");
  await member.getByLabel("Password").fill("pia passkey password 7");
  await member.getByRole("button", { name: "Create account and join" }).click();
  await member.waitForURL(/\/account\/security\?required=1/);
  await member.goto(`/t/${tenantId}`);
  await expect(member).toHaveURL(/\/account\/security\?required=1/);

  await member.getByLabel("Passkey name").fill("Virtual key");
  await member.getByRole("button", { name: "Add a passkey" }).click();
  await expect(member.getByTestId("passkey-name")).toHaveText("Virtual key");
  await member.goto(`/t/${tenantId}`);
  await expect(member.getByTestId("current-user")).toContainText("operator");

  await signOut(member);
  await member.getByRole("button", { name: "Sign in with a passkey" }).click();
  await member.waitForURL(new RegExp(`/t/${tenantId}$`));
  await expect(member.getByTestId("current-user")).toContainText("Pia Passkey");
  await context.close();
});

test("a session signed out from the sessions page is signed out", async ({ browser }) => {
  const second = await (await browser.newContext()).newPage();
  await signInWithPassword(second, OWNER.email, ownerPassword);
  await second.waitForURL(/\/sign-in\/verify/);
  await second.getByLabel("Authentication code").fill(await freshTotpCode());
  await second.getByRole("button", { name: "Verify" }).click();
  await second.waitForURL(new RegExp(`/t/${tenantId}$`));

  await owner.goto("/account/sessions");
  await expect(owner.getByTestId("session-row")).toHaveCount(2);
  await owner.getByRole("button", { name: "Sign out all other sessions" }).click();
  await owner.getByRole("button", { name: "Sign out other sessions" }).click();
  await expect(owner.getByTestId("session-row")).toHaveCount(1);

  await second.goto(`/t/${tenantId}`);
  await expect(second).toHaveURL(/\/sign-in/);
  await second.context().close();
});
