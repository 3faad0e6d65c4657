import { expect, type Browser, type Page } from "@playwright/test";

export const OWNER = {
  tenant: "Acme Messaging",
  name: "Olivia Owner",
  email: "olivia@acme.test",
  password: "owner password 123",
};
export const AUDITOR = {
  name: "Aldo Auditor",
  email: "aldo@acme.test",
  password: "auditor password 1",
};
export const OPERATOR = {
  name: "Opal Operator",
  email: "opal@acme.test",
  password: "operator password",
};

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

export async function signInOk(page: Page, email: string, password: string) {
  await signIn(page, email, password);
  await page.waitForURL(/\/t\/ten_[0-9A-Z]{26}$/);
}

export function tenantIdOf(page: Page): string {
  const match = /\/t\/(ten_[0-9A-Z]{26})/.exec(page.url());
  if (!match?.[1]) throw new Error(`not on a tenant page: ${page.url()}`);
  return match[1];
}

/** Creates an invite link for `role` from the members page of the signed-in owner's tenant. */
export async function createInviteLink(
  page: Page,
  tenantId: string,
  role: string,
): Promise<string> {
  await page.goto(`/t/${tenantId}/members`);
  await page.getByRole("combobox", { name: "Role" }).first().selectOption(role);
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = page.getByLabel("Invite link");
  await expect(link).toBeVisible();
  return link.inputValue();
}

/** Opens an invite link in a fresh browser context and signs up through it. */
export async function joinWithInvite(
  browser: Browser,
  link: string,
  person: { name: string; email: string; password: string },
): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("E-mail").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Create account and join" }).click();
  await page.waitForURL(/\/t\/ten_[0-9A-Z]{26}$/);
  return page;
}

/** The Twilio account the e2e story seals in the vault, known to the double. */
export const E2E_TWILIO = {
  accountSid: `AC${"0a".repeat(16)}`,
  authToken: "e2eAuthTokenSecretValue000000001",
};

/** The Twilio double the e2e server talks to (playwright.config.ts starts it). */
export const DOUBLE_URL = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100) + 99}`;
