import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { expectAccessible, expectNoHorizontalScroll, screenshot, WIDTHS } from "./a11y";
import { E2E_TWILIO, tenantIdOf } from "./helpers";

// The console as admins, operators and auditors experience it (#19), on a server of its own
// (embedded database, its own Twilio double), so the story starts at first-run setup.
const PORT = Number(process.env.E2E_PORT ?? 3100) + 500;
const DOUBLE_PORT = PORT + 1;
const BASE = `http://127.0.0.1:${PORT}`;
const DOUBLE = `http://127.0.0.1:${DOUBLE_PORT}`;

const OWNER = {
  tenant: "Harbour Clinics",
  name: "Hana Owner",
  email: "hana@harbour.test",
  password: "owner password 123",
};
const OPERATOR = {
  name: "Otto Operator",
  email: "otto@harbour.test",
  password: "operator pass 123",
};
const WRONG_TOKEN = "wrongAuthTokenValue0000000000001";
const VERIFY_SID = `VA${"0c".repeat(16)}`;
const TO = "+14155550142";

test.describe.configure({ mode: "serial" });
test.use({ baseURL: BASE });

let server: ChildProcess;
let double: TwilioDouble;
let folder = "";
let owner: Page;
let tenantId = "";
let integrationId = "";

test.beforeAll(async () => {
  test.setTimeout(180_000);
  double = await startTwilioDouble({
    port: DOUBLE_PORT,
    accounts: [{ sid: E2E_TWILIO.accountSid, authToken: E2E_TWILIO.authToken, apiKeys: [] }],
  });
  folder = mkdtempSync(path.join(tmpdir(), "pqseal-ux-"));
  server = spawn(
    process.execPath,
    ["tools/serve/start.mjs", "-H", "127.0.0.1", "-p", String(PORT)],
    {
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        DATABASE_URL: "",
        PGLITE_DATA_DIR: "memory://",
        PQSEAL_DATA_DIR: folder,
        AUTH_SECRET: "e2e-only-secret-not-for-production-use-0123456789",
        LOG_LEVEL: "warn",
        TWILIO_API_BASE_URL: DOUBLE,
        TWILIO_VERIFY_BASE_URL: DOUBLE,
        TWILIO_LOOKUP_BASE_URL: DOUBLE,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const deadline = Date.now() + 150_000;
  while ((await fetch(`${BASE}/api/health`).catch(() => null))?.status !== 200) {
    if (Date.now() > deadline) throw new Error(`${BASE} did not become ready`);
    await new Promise((r) => setTimeout(r, 500));
  }
});

test.afterAll(async () => {
  server?.kill("SIGTERM");
  await double?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Checks a page with axe and photographs it, at desktop and phone width. */
async function checkPage(page: Page, url: string, name: string, shoot = true) {
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    const response = await page.goto(url);
    expect(response?.status(), `${name} at ${size.name}`).toBeLessThan(400);
    await expectAccessible(page, `${name} at ${size.name}`);
    if (size.name === "mobile") await expectNoHorizontalScroll(page, name);
    if (shoot) await screenshot(page, name, size.name);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ baseURL: BASE })).newPage();
}

test("first-run setup is accessible and creates the owner", async ({ browser }) => {
  owner = await newPage(browser);
  await checkPage(owner, "/setup", "setup");
  await owner.goto("/setup");
  await owner.getByLabel("Organisation (tenant) name").fill(OWNER.tenant);
  await owner.getByLabel("Your name").fill(OWNER.name);
  await owner.getByLabel("E-mail").fill(OWNER.email);
  await owner.getByLabel("Password").fill(OWNER.password);
  await owner.getByRole("button", { name: "Create tenant and owner" }).click();
  await owner.waitForURL(/\/t\/ten_[0-9A-Z]{26}$/);
  tenantId = tenantIdOf(owner);
});

test("the first dashboard walks through seal, integration, API key and a first send", async () => {
  await owner.goto(`/t/${tenantId}`);
  const steps = owner.getByRole("list", { name: "Setup steps" });
  await expect(steps.getByTestId("onboarding-step")).toHaveCount(4);
  await expect(owner.getByTestId("onboarding-summary")).toHaveText("0 of 4 done");
  await expect(steps.getByTestId("onboarding-step").first()).toContainText(
    "Seal a Twilio credential",
  );
  await steps.getByRole("link", { name: "Seal a credential" }).click();
  await expect(owner).toHaveURL(new RegExp(`/t/${tenantId}/vault`));
});

test("a wrong Auth Token is refused at sealing and the form keeps every typed value", async () => {
  await owner.goto(`/t/${tenantId}/vault`);
  await expect(owner).toHaveTitle(/Vault · PQSeal/);
  const form = owner
    .locator("form")
    .filter({ has: owner.getByRole("button", { name: "Seal credential" }) });
  await form.getByLabel("Name", { exact: true }).fill("Production Twilio");
  await form.getByRole("textbox", { name: /^Account SID/ }).fill(E2E_TWILIO.accountSid);
  await form.getByRole("textbox", { name: "Auth Token", exact: true }).fill(WRONG_TOKEN);
  await form.getByRole("button", { name: "Seal credential" }).click();
  await expect(form.getByRole("alert")).toContainText("20003");
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue("Production Twilio");
  await expect(form.getByRole("textbox", { name: /^Account SID/ })).toHaveValue(
    E2E_TWILIO.accountSid,
  );
  await expect(form.getByRole("textbox", { name: "Auth Token", exact: true })).toHaveValue(
    WRONG_TOKEN,
  );
  await expect(owner.getByTestId("credential-row")).toHaveCount(0); // nothing sealed

  // A malformed SID: the error once, beside its field; everything typed stays.
  await form.getByRole("textbox", { name: /^Account SID/ }).fill("AC123");
  await form.getByRole("button", { name: "Seal credential" }).click();
  const sid = form.getByRole("textbox", { name: /^Account SID/ });
  await expect(sid).toHaveAttribute("aria-invalid", "true");
  const sidError = owner.locator("#username-error");
  await expect(sidError).toBeVisible();
  const sidErrorText = (await sidError.textContent()) ?? "";
  await expect(owner.getByText(sidErrorText, { exact: false })).toHaveCount(1);
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue("Production Twilio");
  await expect(sid).toHaveValue("AC123");

  await sid.fill(E2E_TWILIO.accountSid);
  await form.getByRole("textbox", { name: "Auth Token", exact: true }).fill(E2E_TWILIO.authToken);
  await form.getByRole("button", { name: "Seal credential" }).click();
  await expect(form.getByRole("status")).toContainText("Sealed");
  const row = owner.getByTestId("credential-row").filter({ hasText: "Production Twilio" });
  await expect(row).toContainText(`AC…${E2E_TWILIO.accountSid.slice(-4)}`);
  await expect(row).toContainText("Last verified");
  await expect(row).not.toContainText(E2E_TWILIO.accountSid);
});

test("an integration allowing Verify needs a Verify SID; a refused form keeps the ticks", async () => {
  await owner.goto(`/t/${tenantId}/integrations`);
  await owner.getByLabel("Name", { exact: true }).fill("Patient reminders");
  await owner.getByLabel("send_sms").check();
  await owner.getByLabel("create_verification").check();
  await owner.getByLabel("check_verification").check();
  await owner.getByRole("checkbox", { name: "United States (US)" }).check();
  await owner.getByLabel("Default sender").fill("+15005550006");
  await owner.getByRole("button", { name: "Create integration" }).click();
  const verify = owner.getByLabel("Verify service SID");
  await expect(verify).toHaveAttribute("aria-invalid", "true");
  await expect(owner.getByLabel("Name", { exact: true })).toHaveValue("Patient reminders");
  await expect(owner.getByLabel("create_verification")).toBeChecked();
  await expect(owner.getByRole("checkbox", { name: "United States (US)" })).toBeChecked();
  await expect(owner.getByLabel("Default sender")).toHaveValue("+15005550006");

  await verify.fill(VERIFY_SID);
  await owner.getByRole("button", { name: "Create integration" }).click();
  await owner.waitForURL(/\/integrations\/int_/);
  integrationId = /\/integrations\/(int_[0-9A-Z]+)/.exec(owner.url())?.[1] ?? "";
  expect(integrationId).not.toBe("");
});

test("an audit:read key needs no client key pair and its secret can be copied", async () => {
  await owner.goto(`/t/${tenantId}/api-keys`);
  await owner.getByLabel("Name", { exact: true }).fill("compliance reader");
  await owner.getByLabel("audit:read").check();
  await owner.getByRole("button", { name: "Create API key" }).click();
  await expect(owner.getByLabel("New API key")).toHaveValue(/^qs_live_/);
  await expect(owner.getByRole("button", { name: "Copy API key" })).toBeVisible();
  await expect(owner.getByRole("button", { name: "Download credentials file" })).toHaveCount(0);
});

test("the test console tells a wrong code from a right one and keeps the number", async () => {
  await owner.goto(`/t/${tenantId}/console`);
  await owner.getByRole("tab", { name: "Send SMS" }).click();
  await owner.getByLabel("To", { exact: true }).fill(TO);
  await owner.getByLabel("Message").fill("Your appointment is at 10:00");
  await owner.getByRole("button", { name: "Send SMS" }).click();
  const result = owner.getByTestId("console-result");
  await expect(result).toContainText("succeeded");
  await expect(owner.getByLabel("To", { exact: true })).toHaveValue(TO);

  await owner.getByRole("tab", { name: "Start verification" }).click();
  await owner.getByLabel("To", { exact: true }).fill(TO);
  await owner.getByRole("button", { name: "Start verification" }).click();
  await expect(result).toContainText("succeeded");

  await owner.getByRole("tab", { name: "Check code" }).click();
  await expect(owner.getByLabel("To", { exact: true })).toHaveValue(TO);
  await owner.getByRole("textbox", { name: "Code", exact: true }).fill("000000");
  await owner.getByRole("button", { name: "Check code" }).click();
  const outcome = owner.getByTestId("console-outcome");
  await expect(outcome).toHaveText(/Code not accepted \(status pending\) — 4 attempts left/);
  await expect(outcome).toHaveAttribute("role", "alert");

  await owner.getByRole("textbox", { name: "Code", exact: true }).fill(double.codeFor(TO) ?? "");
  await owner.getByRole("button", { name: "Check code" }).click();
  await expect(outcome).toHaveText(/Code approved/);
  await expect(outcome).toHaveAttribute("role", "status");
});

test("onboarding ticks every step once done", async () => {
  await owner.goto(`/t/${tenantId}`);
  await expect(owner.getByTestId("setup-complete")).toContainText("Setup complete");
});

let operator: Page;

test("destructive actions ask first; Cancel and Escape change nothing", async ({ browser }) => {
  // An operator to remove later (and to see the console as one).
  await owner.goto(`/t/${tenantId}/members`);
  await owner.getByRole("combobox", { name: "Role" }).first().selectOption("operator");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const link = await owner.getByLabel("Invite link").inputValue();
  await expect(owner.getByRole("button", { name: "Copy invite link" })).toBeVisible();
  operator = await newPage(browser);
  await operator.goto(link);
  await operator.getByLabel("Your name").fill(OPERATOR.name);
  await operator.getByLabel("E-mail").fill(OPERATOR.email);
  await operator.getByLabel("Password").fill(OPERATOR.password);
  await operator.getByRole("button", { name: "Create account and join" }).click();
  await operator.waitForURL(/\/t\/ten_[0-9A-Z]{26}$/);

  const asks = async (url: string, button: RegExp | string) => {
    await owner.goto(url);
    await owner.getByRole("button", { name: button }).first().click();
    const dialog = owner.getByRole("alertdialog");
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
    await owner.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
  };
  await asks(`/t/${tenantId}/api-keys`, "Revoke compliance reader");
  await asks(`/t/${tenantId}/members`, `Remove ${OPERATOR.name}`);
  await asks(`/t/${tenantId}/settings`, "Rotate signing key");
  await asks(`/t/${tenantId}/settings`, "Rotate vault key");
  await asks(`/t/${tenantId}/settings`, /Re-wrap/);
  await asks(`/t/${tenantId}/vault`, "Delete Production Twilio");
  // Nothing happened.
  await owner.goto(`/t/${tenantId}/members`);
  await expect(owner.getByTestId("member-row").filter({ hasText: OPERATOR.email })).toHaveCount(1);
  await owner.goto(`/t/${tenantId}/api-keys`);
  await expect(owner.getByRole("button", { name: "Revoke compliance reader" })).toBeVisible();
});

test("an operator's console result does not link to an audit page it cannot open", async () => {
  await operator.goto(`/t/${tenantId}/console`);
  await operator.getByRole("tab", { name: "Send SMS" }).click();
  await operator.getByLabel("To", { exact: true }).fill(TO);
  await operator.getByLabel("Message").fill("Operator test");
  await operator.getByRole("button", { name: "Send SMS" }).click();
  const result = operator.getByTestId("console-result");
  await expect(result).toContainText("succeeded");
  await expect(result.getByTestId("audit-event-id")).toBeVisible();
  await expect(result.getByTestId("audit-event-link")).toHaveCount(0);
});

test("audit filters: a bad date lists nothing, and filters survive the event page and back", async () => {
  await owner.goto(`/t/${tenantId}/audit?from=2026-13-45`);
  await expect(owner.getByTestId("audit-row")).toHaveCount(0);
  await expect(owner.locator("#from-error")).toBeVisible();
  await expect(owner.getByTestId("audit-filter-error")).toBeVisible();

  await owner.goto(`/t/${tenantId}/audit`);
  await owner.getByLabel("Action").selectOption("vault.sealed");
  await owner.getByRole("button", { name: "Apply filters" }).click();
  await expect(owner).toHaveURL(/action=vault.sealed/);
  const rows = owner.getByTestId("audit-row");
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole("link").first().click();
  await expect(owner.getByRole("heading", { name: /Event #\d+/ })).toBeVisible();
  await expect(owner.getByRole("link", { name: "Production Twilio" })).toBeVisible();
  await owner.getByRole("link", { name: "← Audit log" }).click();
  await expect(owner).toHaveURL(/action=vault.sealed/);
  await expect(owner.getByLabel("Action")).toHaveValue("vault.sealed");
  await expect(rows).toHaveCount(1);
});

test("every page passes axe at 1280 and 390 px wide, photographed for the README", async ({
  browser,
}) => {
  // 19 pages, 2 widths, axe and a full-page screenshot each: minutes on 2 loaded cores.
  test.setTimeout(600_000);
  const t = `/t/${tenantId}`;
  await owner.goto(`${t}/audit`);
  const eventHref =
    (await owner.getByTestId("audit-row").first().getByRole("link").first().getAttribute("href")) ??
    "";
  const pages: [string, string][] = [
    [t, "overview"],
    [`${t}/vault`, "vault"],
    [`${t}/integrations`, "integrations"],
    [`${t}/integrations/${integrationId}`, "integration"],
    [`${t}/api-keys`, "api-keys"],
    [`${t}/console`, "test-console"],
    [`${t}/webhooks`, "webhooks"],
    [`${t}/members`, "members"],
    [`${t}/audit`, "audit"],
    [eventHref, "audit-event"],
    [`${t}/settings`, "settings"],
    ["/account", "account"],
    ["/account/security", "account-security"],
    ["/account/sessions", "account-sessions"],
    ["/api-reference", "api-reference"],
    ["/tenants/new", "new-tenant"],
  ];
  for (const [url, name] of pages) await checkPage(owner, url, name);
  // Signed out: sign-in and the password reset request.
  const anonymous = await newPage(browser);
  await checkPage(anonymous, "/sign-in", "sign-in");
  await checkPage(anonymous, "/forgot-password", "forgot-password", false);
  const missing = await anonymous.goto("/t/ten_00000000000000000000000000/nothing");
  expect(missing?.status()).toBe(404);
  await expectAccessible(anonymous, "not found");
  // The operator's view of a page it may not open.
  await operator.goto(`${t}/settings`);
  await expectAccessible(operator, "forbidden or read-only settings");
});

test("keyboard only: skip link, navigation, a form and a dialog", async () => {
  await owner.goto(`/t/${tenantId}`);
  await owner.keyboard.press("Tab");
  const skip = owner.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await owner.keyboard.press("Enter");
  await expect(owner.locator("main#main")).toBeFocused();

  // Reach the vault through the navigation with Tab alone.
  await owner.goto(`/t/${tenantId}`);
  const vaultLink = owner
    .getByRole("navigation", { name: "Console" })
    .first()
    .getByRole("link", { name: "Vault" });
  for (
    let i = 0;
    i < 40 && !(await vaultLink.evaluate((el) => el === document.activeElement));
    i++
  ) {
    await owner.keyboard.press("Tab");
  }
  await expect(vaultLink).toBeFocused();
  await owner.keyboard.press("Enter");
  await expect(owner).toHaveURL(new RegExp(`/t/${tenantId}/vault`));

  // Seal a webhook secret with the keyboard: type, Tab, Enter.
  const form = owner
    .locator("form")
    .filter({ has: owner.getByRole("button", { name: "Seal credential" }) });
  await form.getByLabel("Credential type").focus();
  await form.getByLabel("Credential type").selectOption("webhook_secret");
  await form.getByLabel("Name", { exact: true }).focus();
  await owner.keyboard.type("Keyboard webhook secret");
  await owner.keyboard.press("Tab");
  await owner.keyboard.type("whsec-keyboard-only-0123456789abcdef");
  await owner.keyboard.press("Enter");
  await expect(form.getByRole("status")).toContainText("Sealed");

  // A confirmation dialog: opened with Enter, focus on Cancel, Escape returns focus.
  const del = owner.getByRole("button", { name: "Delete Keyboard webhook secret" });
  await del.focus();
  await owner.keyboard.press("Enter");
  await expect(
    owner.getByRole("alertdialog").getByRole("button", { name: "Cancel" }),
  ).toBeFocused();
  await owner.keyboard.press("Escape");
  await expect(del).toBeFocused();
});

test("the browser tab says where you are; the icon exists; only owners create tenants", async ({
  request,
}) => {
  await owner.goto(`/t/${tenantId}/audit`);
  await expect(owner).toHaveTitle("Audit log · PQSeal");
  expect((await request.get(`${BASE}/favicon.ico`)).status()).toBe(200);
  // The operator owns no tenant: no way to create one.
  await operator.goto(`/t/${tenantId}`);
  await expect(operator.getByRole("link", { name: /New tenant/ })).toHaveCount(0);
  const page = await operator.goto("/tenants/new");
  expect(page?.status()).toBe(403);
});
