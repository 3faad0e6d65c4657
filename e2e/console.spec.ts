import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import twilio from "twilio";
import { verifyExport } from "@/lib/features/audit/verify-export";
import {
  AUDITOR,
  createInviteLink,
  DOUBLE_URL,
  E2E_TWILIO,
  joinWithInvite,
  OPERATOR,
  OWNER,
  signIn,
  signInOk,
  tenantIdOf,
} from "./helpers";

const run = promisify(execFile);

// One story on one fresh server: each step builds on the previous one.
test.describe.configure({ mode: "serial" });

let ownerPage: Page;
let tenantA = "";
let tenantB = "";
let auditorPage: Page;
let operatorPage: Page;
let smsIntegrationId = "";
let sentSid = "";

test("first run offers setup, creates the owner, then the setup page is gone", async ({
  browser,
}) => {
  ownerPage = await (await browser.newContext()).newPage();
  await ownerPage.goto("/");
  await expect(ownerPage).toHaveURL(/\/setup$/);
  await ownerPage.getByLabel("Organisation (tenant) name").fill(OWNER.tenant);
  await ownerPage.getByLabel("Your name").fill(OWNER.name);
  await ownerPage.getByLabel("E-mail").fill(OWNER.email);
  await ownerPage.getByLabel("Password").fill("short");
  await ownerPage.getByRole("button", { name: "Create tenant and owner" }).click();
  await expect(ownerPage.getByText("Use at least 12 characters.")).toBeVisible();
  await ownerPage.getByLabel("Password").fill(OWNER.password);
  await ownerPage.getByRole("button", { name: "Create tenant and owner" }).click();
  await ownerPage.waitForURL(/\/t\/ten_[0-9A-Z]{26}$/);
  tenantA = tenantIdOf(ownerPage);
  await expect(ownerPage.getByRole("heading", { name: OWNER.tenant })).toBeVisible();

  const response = await ownerPage.goto("/setup");
  expect(response?.status()).toBe(404);
});

test("sign-out, a wrong password is refused, the right one signs in", async () => {
  await ownerPage.goto(`/t/${tenantA}`);
  await ownerPage.getByRole("button", { name: "Sign out" }).click();
  await ownerPage.waitForURL(/\/sign-in/);
  await ownerPage.goto(`/t/${tenantA}`);
  await expect(ownerPage).toHaveURL(/\/sign-in/);

  await signIn(ownerPage, OWNER.email, "not my password");
  await expect(ownerPage.locator("form").getByRole("alert")).toHaveText(
    "Wrong e-mail or password.",
  );
  await signIn(ownerPage, "nobody@acme.test", "not my password");
  await expect(ownerPage.locator("form").getByRole("alert")).toHaveText(
    "Wrong e-mail or password.",
  );

  await signInOk(ownerPage, OWNER.email, OWNER.password);
  expect(tenantIdOf(ownerPage)).toBe(tenantA);
});

test("the owner invites an auditor, who signs in and sees only read-only pages", async ({
  browser,
}) => {
  const link = await createInviteLink(ownerPage, tenantA, "auditor");
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  auditorPage = await joinWithInvite(browser, link, AUDITOR);
  expect(tenantIdOf(auditorPage)).toBe(tenantA);
  await expect(auditorPage.getByTestId("current-user")).toContainText("auditor");

  const nav = auditorPage.getByRole("navigation", { name: "Console" }).first();
  await expect(nav.getByRole("link", { name: "Audit log" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Test console" })).toHaveCount(0);

  await auditorPage.goto(`/t/${tenantA}/members`);
  await expect(auditorPage.getByText("read-only for your role")).toBeVisible();
  await expect(auditorPage.getByRole("button", { name: "Create invite link" })).toHaveCount(0);
  await expect(auditorPage.getByRole("button", { name: /Save role|Remove/ })).toHaveCount(0);
  await expect(auditorPage.getByTestId("member-row")).toHaveCount(2);

  const console = await auditorPage.goto(`/t/${tenantA}/console`);
  expect(console?.status()).toBe(403);
  await expect(auditorPage.getByRole("heading", { name: "Not allowed" })).toBeVisible();

  // An invite link works once.
  const reuse = await (await browser.newContext()).newPage();
  await reuse.goto(link);
  await expect(reuse.getByRole("heading", { name: "Invite not valid" })).toBeVisible();
});

test("an operator is refused a member change", async ({ browser }) => {
  operatorPage = await joinWithInvite(
    browser,
    await createInviteLink(ownerPage, tenantA, "operator"),
    OPERATOR,
  );
  await operatorPage.goto(`/t/${tenantA}/members`);
  await expect(
    operatorPage.getByRole("button", { name: /Save role|Remove|Create invite link/ }),
  ).toHaveCount(0);

  const list = await operatorPage.request.get(`/api/tenants/${tenantA}/members`);
  expect(list.status()).toBe(200);
  const { members } = (await list.json()) as {
    members: { membershipId: string; email: string; role: string }[];
  };
  const owner = members.find((m) => m.email === OWNER.email);
  expect(owner?.role).toBe("owner");

  const patch = await operatorPage.request.patch(
    `/api/tenants/${tenantA}/members/${owner?.membershipId}`,
    {
      data: { role: "auditor" },
    },
  );
  expect(patch.status()).toBe(403);
  expect(((await patch.json()) as { code: string }).code).toBe("forbidden");
  const del = await operatorPage.request.delete(
    `/api/tenants/${tenantA}/members/${owner?.membershipId}`,
  );
  expect(del.status()).toBe(403);

  const after = (await (
    await ownerPage.request.get(`/api/tenants/${tenantA}/members`)
  ).json()) as typeof list extends never ? never : { members: { email: string; role: string }[] };
  expect(after.members.find((m) => m.email === OWNER.email)?.role).toBe("owner");
});

test("the owner changes a role and the change holds", async () => {
  await ownerPage.goto(`/t/${tenantA}/members`);
  const row = ownerPage.getByTestId("member-row").filter({ hasText: AUDITOR.email });
  await row.getByRole("combobox").selectOption("operator");
  await row.getByRole("button", { name: "Save role" }).click();
  await expect(row.getByRole("status")).toHaveText("Role changed.");
  // A fresh page, so the next "Role changed." is the second save's, not the first's.
  await ownerPage.reload();
  await expect(row.getByRole("combobox")).toHaveValue("operator");
  await row.getByRole("combobox").selectOption("auditor");
  await row.getByRole("button", { name: "Save role" }).click();
  await expect(row.getByRole("status")).toHaveText("Role changed.");
  await ownerPage.reload();
  await expect(
    ownerPage.getByTestId("member-row").filter({ hasText: AUDITOR.email }).getByRole("combobox"),
  ).toHaveValue("auditor");
});

test("a user of tenant A cannot open anything of tenant B", async () => {
  await ownerPage.goto("/tenants/new");
  await ownerPage.getByLabel("Tenant name").fill("Beta Corp");
  await ownerPage.getByRole("button", { name: "Create tenant" }).click();
  await ownerPage.waitForURL(/\/t\/ten_[0-9A-Z]{26}$/);
  tenantB = tenantIdOf(ownerPage);
  expect(tenantB).not.toBe(tenantA);

  // The owner of both switches between them.
  await ownerPage.getByLabel("Switch tenant").first().selectOption(tenantA);
  await ownerPage.waitForURL(new RegExp(`/t/${tenantA}$`));

  for (const path of ["", "/members", "/vault", "/settings", "/audit"]) {
    const response = await operatorPage.goto(`/t/${tenantB}${path}`);
    expect(response?.status(), `/t/B${path}`).toBe(404);
  }
  const api = await operatorPage.request.get(`/api/tenants/${tenantB}/members`);
  expect(api.status()).toBe(404);
  expect(JSON.stringify(await api.json())).not.toContain("Beta Corp");
  const patch = await operatorPage.request.patch(`/api/tenants/${tenantB}/members/mem_x`, {
    data: { role: "owner" },
  });
  expect(patch.status()).toBe(404);
});

test("the auditor browses, filters, verifies and exports the audit log, and changes nothing", async () => {
  await auditorPage.goto(`/t/${tenantA}/audit`);
  const rows = auditorPage.getByTestId("audit-row");
  await expect(rows.first()).toBeVisible();
  await expect(auditorPage.getByRole("table", { name: "Audit events" })).toContainText(
    "member.role_changed",
  );
  await expect(auditorPage.getByRole("table", { name: "Audit events" })).toContainText(
    "tenant.created",
  );

  await auditorPage.getByLabel("Action").selectOption("member.joined");
  await auditorPage.getByRole("button", { name: "Apply filters" }).click();
  await expect(auditorPage).toHaveURL(/action=member.joined/);
  await expect(rows).toHaveCount(2); // the auditor and the operator joined
  await rows.first().getByRole("link").click();
  await expect(auditorPage.getByRole("heading", { name: /Event #\d+/ })).toBeVisible();
  await expect(auditorPage.getByText("member.joined").first()).toBeVisible();

  await auditorPage.goto(`/t/${tenantA}/audit`);
  await auditorPage.getByRole("button", { name: "Verify chain" }).click();
  await expect(auditorPage.getByTestId("chain-result")).toContainText("Chain intact");

  const download = await auditorPage.request.get(
    `/api/tenants/${tenantA}/audit/export?format=jsonl`,
  );
  expect(download.status()).toBe(200);
  const result = verifyExport(await download.text());
  expect(result).toMatchObject({ ok: true, complete: true });
  expect(result.checkpoint?.signatureValid).toBe(true);
  await auditorPage.goto(`/t/${tenantA}/settings`);
  const pinned = await auditorPage.getByTestId("signing-fingerprint").textContent();
  expect(result.checkpoint?.fingerprint).toBe(pinned?.trim());
  await expect(auditorPage.getByRole("button", { name: "Save" })).toHaveCount(0);

  // every mutating path is refused for the auditor
  const members = (await (
    await auditorPage.request.get(`/api/tenants/${tenantA}/members`)
  ).json()) as {
    members: { membershipId: string; email: string }[];
  };
  const op = members.members.find((m) => m.email === OPERATOR.email);
  const patch = await auditorPage.request.patch(
    `/api/tenants/${tenantA}/members/${op?.membershipId}`,
    {
      data: { role: "admin" },
    },
  );
  expect(patch.status()).toBe(403);
  await auditorPage.goto(`/t/${tenantA}/api-keys`);
  await expect(auditorPage.getByRole("button", { name: "Create API key" })).toHaveCount(0);

  // and the refusal itself is on the record
  await auditorPage.goto(`/t/${tenantA}/audit?action=access.denied`);
  await expect(rows.first()).toContainText(AUDITOR.email);
});

test("an API key with audit:read reads its own tenant's events over /api/v2", async ({
  playwright,
}) => {
  await ownerPage.goto(`/t/${tenantA}/api-keys`);
  await ownerPage.getByLabel("Name", { exact: true }).fill("compliance exporter");
  await ownerPage.getByLabel("audit:read").check();
  await ownerPage.getByRole("button", { name: "Create API key" }).click();
  const key = await ownerPage.getByLabel("New API key").inputValue();
  expect(key).toMatch(/^qs_live_/);

  const api = await playwright.request.newContext({ baseURL: ownerPage.url().split("/t/")[0] });
  const ok = await api.get("/api/v2/audit/events?action=api_key.created", {
    headers: { "x-api-key": key },
  });
  expect(ok.status()).toBe(200);
  const body = (await ok.json()) as { events: { tenant_id: string; actor_label: string }[] };
  expect(body.events).toHaveLength(1);
  expect(body.events[0]?.tenant_id).toBe(tenantA);
  expect(JSON.stringify(body)).not.toContain(key);
  // A caller cannot choose the address the audit log records: nothing is in front of this
  // server, so X-Forwarded-For (and our own peer header) from the client are not believed.
  const spoofed = await api.post("/api/v2/audit/verify", {
    headers: { "x-api-key": key, "x-forwarded-for": "6.6.6.6", "x-pqseal-peer": "6.6.6.6" },
  });
  expect(spoofed.status()).toBe(200);
  const verified = await api.get("/api/v2/audit/events?action=audit.verified", {
    headers: { "x-api-key": key },
  });
  // Newest first: this key's verification, after the auditor's from the console.
  const recorded = (await verified.json()) as {
    events: { ip: string | null; actor_type: string }[];
  };
  expect(recorded.events[0]?.actor_type).toBe("api_key");
  expect(recorded.events[0]?.ip).toBe("127.0.0.1");
  expect(recorded.events.map((e) => e.ip)).not.toContain("6.6.6.6");
  const missing = await api.get("/api/v2/audit/events");
  const wrong = await api.get("/api/v2/audit/events", {
    headers: { "x-api-key": `${key.slice(0, -2)}xx` },
  });
  expect([missing.status(), wrong.status()]).toEqual([401, 401]);
  // The same answer for a missing and a wrong key (but the request's own id).
  const sameness = async (r: typeof missing) => {
    const {
      request_id: _id,
      instance: _instance,
      ...rest
    } = (await r.json()) as Record<string, unknown>;
    return rest;
  };
  expect(await sameness(missing)).toEqual(await sameness(wrong));

  // Revoking asks first, in a dialog; then the key is refused.
  await ownerPage.getByRole("button", { name: "Revoke compliance exporter" }).click();
  await ownerPage
    .getByRole("alertdialog", { name: /compliance exporter/ })
    .getByRole("button", { name: "Revoke key" })
    .click();
  // Done when the row has no Revoke button any more (the dialog's own text says "revoked" too).
  await expect(ownerPage.getByRole("button", { name: "Revoke compliance exporter" })).toHaveCount(
    0,
  );
  await expect(
    ownerPage.getByTestId("api-key-row").filter({ hasText: "compliance exporter" }),
  ).toContainText("· revoked");
  const revoked = await api.get("/api/v2/audit/events", { headers: { "x-api-key": key } });
  expect(revoked.status()).toBe(401);
  await api.dispose();
});

test("an admin rolls a key with a grace period and limits it to a network", async ({
  playwright,
}) => {
  await ownerPage.goto(`/t/${tenantA}/api-keys`);
  await ownerPage.getByLabel("Name", { exact: true }).fill("rolling reader");
  await ownerPage.getByLabel("audit:read").check();
  await ownerPage.getByRole("button", { name: "Create API key" }).click();
  const oldKey = await ownerPage.getByLabel("New API key").inputValue();
  const api = await playwright.request.newContext({ baseURL: ownerPage.url().split("/t/")[0] });
  const status = async (key: string, bearer = false) =>
    (
      await api.get("/api/v2/audit/events?limit=1", {
        headers: bearer ? { authorization: `Bearer ${key}` } : { "x-api-key": key },
      })
    ).status();
  expect(await status(oldKey)).toBe(200);

  const row = ownerPage.getByTestId("api-key-row").filter({ hasText: "rolling reader" });
  // The forms sit in a <details>; a refresh after a save may close it again.
  const open = () =>
    row.locator("details").evaluate((d) => ((d as HTMLDetailsElement).open = true));
  await open();
  await row.getByLabel("Old secret valid for (hours)").fill("2");
  await row.getByRole("button", { name: "Roll key" }).click();
  await row
    .getByRole("alertdialog", { name: "Roll this key's secret?" })
    .getByRole("button", { name: "Roll key" })
    .click();
  const newKey = await row.getByLabel("New secret for this key").inputValue();
  expect(newKey.slice(0, 16)).toBe(oldKey.slice(0, 16));
  expect(newKey).not.toBe(oldKey);
  await expect(row).toContainText("The old secret keeps working until");
  // Both secrets work during the grace period; Bearer works like X-API-Key.
  expect([await status(oldKey), await status(newKey, true)]).toEqual([200, 200]);

  // Only a documentation network: this browser's calls (from 127.0.0.1) are refused, audited.
  await open();
  await row.getByLabel("Allowed networks (optional)").fill("203.0.113.0/24");
  await row.getByRole("button", { name: "Save networks and limits" }).click();
  await expect(row.getByTestId("api-key-access")).toContainText("203.0.113.0/24");
  const refused = await api.get("/api/v2/audit/events?limit=1", {
    headers: { "x-api-key": newKey },
  });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { code: string }).code).toBe("ip_not_allowed");
  await open();
  await row.getByLabel("Allowed networks (optional)").fill("127.0.0.1, ::1");
  await row.getByRole("button", { name: "Save networks and limits" }).click();
  await expect(row.getByTestId("api-key-access")).toContainText("127.0.0.1/32");
  expect(await status(newKey)).toBe(200);
  const refusals = await api.get("/api/v2/audit/events?action=api_key.address_refused", {
    headers: { "x-api-key": newKey },
  });
  const recorded = (await refusals.json()) as { events: { ip: string | null }[] };
  expect(recorded.events[0]?.ip).toBe("127.0.0.1");
  await api.dispose();
});

test("an admin seals a credential, rotates the vault key and gets a client key file", async ({
  playwright,
}) => {
  const AUTH_TOKEN = E2E_TWILIO.authToken;
  await ownerPage.goto(`/t/${tenantA}/vault`);
  const sealForm = ownerPage.locator("form", { has: ownerPage.getByText("Seal credential") });
  await sealForm.locator('input[name="name"]').fill("Twilio main account");
  await sealForm.locator('input[name="username"]').fill(E2E_TWILIO.accountSid);
  await sealForm.locator('input[name="password"]').fill(AUTH_TOKEN);
  await ownerPage.getByRole("button", { name: "Seal credential" }).click();
  await expect(ownerPage.getByRole("status")).toContainText("Sealed cred_");
  await expect(ownerPage.getByTestId("credential-row")).toHaveCount(1);
  await ownerPage.reload();
  expect(await ownerPage.content()).not.toContain(AUTH_TOKEN);
  // A bad SID is refused with the reason, next to the field.
  await sealForm.locator('input[name="name"]').fill("broken");
  await sealForm.locator('input[name="username"]').fill("AC123");
  await sealForm.locator('input[name="password"]').fill("x");
  await ownerPage.getByRole("button", { name: "Seal credential" }).click();
  await expect(sealForm.locator("#username-error")).toContainText(
    "starts with AC followed by 32 hexadecimal",
  );
  await expect(ownerPage.getByTestId("credential-row")).toHaveCount(1);

  await ownerPage.goto(`/t/${tenantA}/settings`);
  const vaultBefore = await ownerPage.getByTestId("vault-fingerprint").innerText();
  await ownerPage.getByRole("button", { name: "Rotate vault key" }).click();
  // A destructive action asks first; Escape cancels, and nothing changes.
  const confirm = ownerPage.getByRole("alertdialog", { name: "Rotate the vault key?" });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await ownerPage.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await expect(ownerPage.getByTestId("vault-fingerprint")).toHaveText(vaultBefore);
  await ownerPage.getByRole("button", { name: "Rotate vault key" }).click();
  await confirm.getByRole("button", { name: "Rotate vault key" }).click();
  await expect(confirm).toBeHidden();
  await expect(ownerPage.getByRole("status")).toContainText("sealed values moved");
  await expect(ownerPage.getByTestId("vault-fingerprint")).not.toHaveText(vaultBefore);
  const signingFingerprint = await ownerPage.getByTestId("signing-fingerprint").innerText();

  await ownerPage.goto(`/t/${tenantA}/api-keys`);
  await ownerPage.getByLabel("Name", { exact: true }).fill("vault client");
  await ownerPage.getByLabel("vault:seal").check();
  // A vault:seal key needs no envelope; this one also receives forwarded webhooks.
  await ownerPage.getByLabel(/Make a client key pair anyway/).check();
  await ownerPage.getByRole("button", { name: "Create API key" }).click();
  const key = await ownerPage.getByLabel("New API key").inputValue();
  const downloading = ownerPage.waitForEvent("download");
  await ownerPage.getByRole("button", { name: "Download credentials file" }).click();
  const file = JSON.parse(
    await readFile((await (await downloading).path()) ?? "", "utf8"),
  ) as Record<string, unknown>;
  expect(file).toMatchObject({ api_key: key, tenant_id: tenantA });
  expect(String(file.client_key_id)).toMatch(/^ckey_/);
  expect(Buffer.from(String(file.client_secret_key), "base64")).toHaveLength(2400);
  expect(file.signing_fingerprint_sha256).toBe(signingFingerprint);
  await expect(ownerPage.getByRole("button", { name: "Downloaded" })).toBeDisabled();
  expect(await ownerPage.content()).not.toContain(String(file.client_secret_key).slice(0, 40));

  const api = await playwright.request.newContext({ baseURL: ownerPage.url().split("/t/")[0] });
  const keys = (await (
    await api.get("/api/v2/keys", { headers: { "x-api-key": key } })
  ).json()) as { signing_keys: { fingerprint_sha256: string }[]; client_key: { id: string } };
  expect(keys.signing_keys[0]?.fingerprint_sha256).toBe(signingFingerprint);
  expect(keys.client_key.id).toBe(file.client_key_id);
  const list = await api.get("/api/v2/vault/credentials", { headers: { "x-api-key": key } });
  expect(list.status()).toBe(200);
  expect(await list.text()).not.toContain(AUTH_TOKEN);
  await api.dispose();
});

test("an SMS goes through the proxy with the SDK, make_call is refused, the console verifies a code", async ({
  playwright,
}) => {
  const TO = "+14155550187";
  // An integration that allows only send_sms, to the US, with the credential sealed above.
  await ownerPage.goto(`/t/${tenantA}/integrations`);
  await ownerPage.getByLabel("Name", { exact: true }).fill("SMS only");
  await ownerPage.getByLabel("send_sms").check();
  await ownerPage.getByRole("checkbox", { name: "United States (US)" }).check();
  await ownerPage.getByLabel("Default sender").fill("+15005550006");
  await ownerPage.getByLabel("Verify service SID").fill(`VA${"0b".repeat(16)}`);
  await ownerPage.getByRole("button", { name: "Create integration" }).click();
  await ownerPage.waitForURL(/\/integrations\/int_[0-9A-Z]{26}$/);
  const integrationId = ownerPage.url().split("/").at(-1) ?? "";

  // An API key with the proxy scope; its credentials file feeds the SDK example.
  await ownerPage.goto(`/t/${tenantA}/api-keys`);
  await ownerPage.getByLabel("Name", { exact: true }).fill("sms service");
  await ownerPage.getByLabel("proxy").check();
  await ownerPage.getByRole("button", { name: "Create API key" }).click();
  const key = await ownerPage.getByLabel("New API key").inputValue();
  const downloading = ownerPage.waitForEvent("download");
  await ownerPage.getByRole("button", { name: "Download credentials file" }).click();
  const file = (await (await downloading).path()) ?? "";

  const { stdout } = await run("npx", [
    "tsx",
    "tools/sdk-examples/send-sms.ts",
    file,
    integrationId,
    TO,
    "hello from e2e",
  ]);
  const sent = JSON.parse(stdout) as {
    success: boolean;
    audit_event_id: string;
    result: { data: { sid: string; status: string } };
  };
  expect(sent.success).toBe(true);
  expect(sent.result.data.sid).toMatch(/^SM[0-9a-f]{32}$/);
  smsIntegrationId = integrationId;
  sentSid = sent.result.data.sid;
  expect(sent.audit_event_id).toMatch(/^aud_/);

  // Two signing-key rotations that switch at once: the same credentials file (pinning the first
  // key only) keeps working, following the endorsements (#17).
  for (let i = 0; i < 2; i++) {
    await ownerPage.goto(`/t/${tenantA}/settings`);
    await ownerPage.getByLabel("Switch-over after (hours)").fill("0");
    await ownerPage.getByRole("button", { name: "Rotate signing key" }).click();
    await ownerPage
      .getByRole("alertdialog", { name: "Rotate the signing key?" })
      .getByRole("button", { name: "Rotate signing key" })
      .click();
    await expect(ownerPage.getByText(/New signing key version \d+/)).toBeVisible();
  }
  const again = await run("npx", [
    "tsx",
    "tools/sdk-examples/send-sms.ts",
    file,
    integrationId,
    "+14155550188",
    "after two rotations",
  ]);
  expect((JSON.parse(again.stdout) as { success: boolean }).success).toBe(true);

  const api = await playwright.request.newContext({ baseURL: ownerPage.url().split("/t/")[0] });
  const call = await api.post("/api/v2/proxy/outbound", {
    headers: { "x-api-key": key },
    data: {
      integration_id: integrationId,
      operation: "make_call",
      payload: { to: TO, twiml: "<Response/>" },
    },
  });
  expect(call.status()).toBe(403);
  expect(((await call.json()) as { code: string }).code).toBe("operation_not_allowed");
  await api.dispose();

  // Allow Verify, then run create -> check in the test console.
  await ownerPage.goto(`/t/${tenantA}/integrations/${integrationId}`);
  await ownerPage.getByLabel("create_verification").check();
  await ownerPage.getByLabel("check_verification").check();
  await ownerPage.getByRole("button", { name: "Save integration" }).click();
  await expect(ownerPage.getByRole("status").filter({ hasText: "Saved." })).toHaveText("Saved.");

  await ownerPage.goto(`/t/${tenantA}/console`);
  await ownerPage.getByRole("tab", { name: "Start verification" }).click();
  await ownerPage.getByLabel("To", { exact: true }).fill(TO);
  await ownerPage.getByRole("button", { name: "Start verification" }).click();
  await expect(ownerPage.getByTestId("console-result")).toContainText('"status": "pending"');
  await expect(ownerPage.getByTestId("console-result")).not.toContainText(TO);
  const { code } = (await (
    await fetch(`${DOUBLE_URL}/__control/verification-code?to=${encodeURIComponent(TO)}`)
  ).json()) as { code: string };
  await ownerPage.getByRole("tab", { name: "Check code" }).click();
  await ownerPage.getByLabel("To", { exact: true }).fill(TO);
  await ownerPage.getByRole("textbox", { name: "Code", exact: true }).fill(code);
  await ownerPage.getByRole("button", { name: "Check code" }).click();
  await expect(ownerPage.getByTestId("console-result")).toContainText('"status": "approved"');
  await ownerPage.getByTestId("console-result").getByRole("link").click();
  await expect(ownerPage.getByText("proxy.check_verification").first()).toBeVisible();

  // The audit log shows all of it, without the number or the code.
  for (const action of [
    "proxy.send_sms",
    "proxy.denied",
    "proxy.create_verification",
    "integration.updated",
  ]) {
    await ownerPage.goto(`/t/${tenantA}/audit?action=${action}`);
    await expect(ownerPage.getByTestId("audit-row").first()).toBeVisible();
  }
  const html = await ownerPage.content();
  expect(html).not.toContain(TO);

  // Auditors may not use the test console.
  await auditorPage.goto(`/t/${tenantA}/console`);
  await expect(auditorPage.getByRole("heading", { name: "Not allowed" })).toBeVisible();
});

test("a signed Twilio status callback is accepted, updates the message, a forged one is refused", async ({
  playwright,
}) => {
  const WEBHOOK_SECRET = "e2eWebhookSigningSecret000000001";
  await ownerPage.goto(`/t/${tenantA}/vault`);
  const sealForm = ownerPage.locator("form", { has: ownerPage.getByText("Seal credential") });
  await sealForm.getByRole("combobox").selectOption("webhook_secret");
  await sealForm.locator('input[name="name"]').fill("Twilio webhooks");
  await sealForm.locator('input[name="secret"]').fill(WEBHOOK_SECRET);
  await ownerPage.getByRole("button", { name: "Seal credential" }).click();
  await expect(ownerPage.getByRole("status")).toContainText("Sealed cred_");

  await ownerPage.goto(`/t/${tenantA}/integrations/${smsIntegrationId}`);
  await ownerPage.getByLabel("Webhook signing secret").selectOption({ label: "Twilio webhooks" });
  await ownerPage.getByRole("button", { name: "Save integration" }).click();
  await expect(ownerPage.getByRole("status").filter({ hasText: "Saved." })).toHaveText("Saved.");

  await ownerPage.goto(`/t/${tenantA}/webhooks`);
  const intake = (await ownerPage.getByTestId("intake-url").allInnerTexts()).find((u) =>
    u.endsWith("/message-status"),
  );
  expect(intake).toContain(`/api/v2/webhooks/twilio/${smsIntegrationId}/message-status`);
  const params = { MessageSid: sentSid, MessageStatus: "delivered", To: "+14155550187" };
  const api = await playwright.request.newContext();
  const good = await api.post(intake ?? "", {
    form: params,
    headers: {
      "x-twilio-signature": twilio.getExpectedTwilioSignature(WEBHOOK_SECRET, intake ?? "", params),
    },
  });
  expect(good.status()).toBe(200);
  const forged = await api.post(intake ?? "", {
    form: { ...params, MessageStatus: "failed" },
    headers: {
      "x-twilio-signature": twilio.getExpectedTwilioSignature("wrong", intake ?? "", params),
    },
  });
  expect(forged.status()).toBe(403);
  await api.dispose();

  await ownerPage.reload();
  await expect(ownerPage.getByTestId("webhook-event-row")).toHaveCount(1);
  await expect(ownerPage.getByTestId("message-row").filter({ hasText: sentSid })).toContainText(
    "delivered",
  );
  expect(await ownerPage.content()).not.toContain("+14155550187");
  await ownerPage.goto(`/t/${tenantA}/audit?action=webhook.rejected`);
  await expect(ownerPage.getByTestId("audit-row").first()).toBeVisible();
});

test("the console is usable at 390 px wide", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signInOk(page, OWNER.email, OWNER.password);
  await page.getByText("Menu").click();
  await page.getByRole("link", { name: "Members" }).last().click();
  await expect(page.getByRole("heading", { name: "Members", exact: true })).toBeVisible();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/members-390.png", fullPage: true });
});

test("five failed sign-ins lock the account for 15 minutes", async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  for (let i = 1; i <= 4; i++) {
    await signIn(page, OPERATOR.email, `wrong password ${i}`);
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong e-mail or password.");
  }
  await signIn(page, OPERATOR.email, "wrong password 5");
  await expect(page.locator("form").getByRole("alert")).toContainText(
    "Too many failed sign-in attempts",
  );
  await expect(page.locator("form").getByRole("alert")).toContainText("15 minutes");
  await signIn(page, OPERATOR.email, OPERATOR.password);
  await expect(page.locator("form").getByRole("alert")).toContainText(
    "Too many failed sign-in attempts",
  );
  await expect(page).toHaveURL(/\/sign-in/);
});
