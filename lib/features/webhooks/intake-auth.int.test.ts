import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import twilio from "twilio";
import { describe, expect, it, vi } from "vitest";
import { GET as getIntegrationRoute } from "@/app/api/v2/integrations/[integrationId]/route";
import * as intakeAuthRoute from "@/app/api/v2/integrations/[integrationId]/intake-auth/route";
import { POST } from "@/app/api/v2/webhooks/twilio/[integrationId]/[kind]/route";
import { getDb } from "@/db";
import { auditEvents, integrations, webhookEvents } from "@/db/schema";
import { createApiKey } from "@/lib/features/api-keys/service";
import { createIntegration, updateIntegration } from "@/lib/features/integrations/service";
import { sealCredential } from "@/lib/features/vault/service";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { AppError } from "@/lib/platform/errors/app-error";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { INTEGRATION_LIMIT_DEFAULTS } from "@/lib/shared/integration-limits";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { webhookIntegration } from "@/test/webhook-setup";
import { removeIntakeAuth, setIntakeAuth } from "./set-intake-auth";

// Issue #17: HTTP Basic credentials on the intake URLs, as Twilio uses them
// (https://www.twilio.com/docs/usage/security#http-authentication): Twilio first calls without
// an Authorization header, and only after a 401 with a `WWW-Authenticate: Basic realm=…`
// challenge retries with the credentials of the URL it was given. Plus: the integration's
// webhook credential may be the basic_auth credential, whose password is the Auth Token.

vi.hoisted(() => {
  process.env.PQSEAL_DEPLOYMENT_MODE = "development";
});
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

const SECRET = "intakeAuthWebhookSecret000000001";
const AUTH_TOKEN = "intakeAuthAccountAuthToken000001";
const ACCOUNT = `AC${"5c".repeat(16)}`;
const PARAMS = { MessageSid: `SM${"6d".repeat(16)}`, MessageStatus: "delivered" };
const CHALLENGE = 'Basic realm="PQSeal webhooks"';

async function setup() {
  const t = await createTestTenant();
  const u = await createTestUser("intakeadmin");
  await addMember(t.id, u.id, "admin");
  session.user = testSession(u, "ses_x");
  const ctx = await resolveTenant(t.id, "integrations:write");
  const { integration } = await webhookIntegration(ctx, { secret: SECRET });
  return { tenantId: t.id, ctx, integration };
}

const bare = (integrationId: string, kind = "message-status") =>
  `http://localhost/api/v2/webhooks/twilio/${integrationId}/${kind}`;
/** The URL an admin pastes into Twilio's console: the intake URL with the credentials in it. */
const withCredentials = (url: string, username: string, password: string) =>
  url.replace("http://", `http://${username}:${password}@`);
const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;

/** Twilio's request: signed (by the SDK's own signer) over `signUrl`, sent to `target`. */
function post(
  target: string,
  options: { signUrl?: string; secret?: string; authorization?: string } = {},
) {
  const signature = twilio.getExpectedTwilioSignature(
    options.secret ?? SECRET,
    options.signUrl ?? target,
    PARAMS,
  );
  const [integrationId = "", kind = ""] =
    target.split("/api/v2/webhooks/twilio/")[1]?.split("/") ?? [];
  return POST(
    new NextRequest(target, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": signature,
        ...(options.authorization ? { authorization: options.authorization } : {}),
      },
      body: new URLSearchParams(PARAMS).toString(),
    }),
    { params: Promise.resolve({ integrationId, kind }) },
  );
}

const events = (tenantId: string) =>
  getDb().select().from(webhookEvents).where(eq(webhookEvents.tenantId, tenantId));
const audit = (tenantId: string, action: string) =>
  getDb()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, action)));
const allAudit = (tenantId: string) =>
  getDb().select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId));
const reasons = async (tenantId: string) =>
  (await audit(tenantId, "webhook.rejected")).map((e) => (e.details as { reason: string }).reason);

describe("HTTP Basic credentials on the webhook intake (#17)", () => {
  it("challenges Twilio's first request (nothing stored), accepts its retry with the credentials", async () => {
    const s = await setup();
    const { username, password } = await setIntakeAuth(s.ctx, s.integration.id);
    expect(username).toMatch(/^[A-Za-z0-9]+$/); // Twilio: no special characters in URL credentials
    expect(password).toMatch(/^[A-Za-z0-9]{32,}$/);
    const target = bare(s.integration.id);
    // Twilio signs the URL it was given, credentials included.
    const signUrl = withCredentials(target, username, password);

    const first = await post(target, { signUrl });
    expect(first.status).toBe(401);
    expect(first.headers.get("www-authenticate")).toBe(CHALLENGE);
    expect(await events(s.tenantId)).toHaveLength(0);
    // The challenge is Twilio's normal first leg: not a refusal worth an audit event.
    expect(await audit(s.tenantId, "webhook.rejected")).toHaveLength(0);

    const retry = await post(target, { signUrl, authorization: basic(username, password) });
    expect(retry.status).toBe(200);
    expect(await events(s.tenantId)).toHaveLength(1);
    const [received] = await audit(s.tenantId, "webhook.received");
    expect(received?.details).toMatchObject({ kind: "message-status", validated_with: "current" });

    // Only a keyed hash is stored; the password reaches no audit event.
    const [row] = await getDb()
      .select()
      .from(integrations)
      .where(eq(integrations.id, s.integration.id));
    expect(row?.intakeAuthUsername).toBe(username);
    expect(row?.intakeAuthHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.intakeAuthHash).not.toContain(password);
    const [enabled] = await audit(s.tenantId, "integration.updated");
    expect(enabled?.details).toMatchObject({ intake_auth: "enabled" });
    expect(JSON.stringify(await allAudit(s.tenantId))).not.toContain(password);
  });

  it("accepts a signature over the intake URL without the credentials too", async () => {
    const s = await setup();
    const { username, password } = await setIntakeAuth(s.ctx, s.integration.id);
    const res = await post(bare(s.integration.id), { authorization: basic(username, password) });
    expect(res.status).toBe(200);
  });

  it("refuses wrong credentials with 401, audited as invalid_intake_credentials, nothing stored", async () => {
    const s = await setup();
    const other = await setup();
    const { username, password } = await setIntakeAuth(s.ctx, s.integration.id);
    const theirs = await setIntakeAuth(other.ctx, other.integration.id);
    const target = bare(s.integration.id);
    const wrong = [
      basic(username, `${password.slice(0, -1)}x`),
      basic(`${username}x`, password),
      basic(theirs.username, theirs.password), // another integration's valid pair
      basic(username, ""),
      `Basic ${Buffer.from(username).toString("base64")}`, // no colon
      "Basic !!!not-base64!!!",
      `Bearer ${password}`,
    ];
    for (const authorization of wrong) {
      const signUrl = withCredentials(target, username, password);
      const res = await post(target, { signUrl, authorization });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe(CHALLENGE);
    }
    expect(await events(s.tenantId)).toHaveLength(0);
    expect(await reasons(s.tenantId)).toEqual(wrong.map(() => "invalid_intake_credentials"));
    expect(JSON.stringify(await allAudit(s.tenantId))).not.toContain(password);
  });

  it("records guessed credentials within the refused-webhook budget, not one event per guess", async () => {
    const s = await setup();
    const { username } = await setIntakeAuth(s.ctx, s.integration.id);
    const target = bare(s.integration.id);
    for (let i = 0; i < 25; i++) {
      const res = await post(target, { authorization: basic(username, `guess${i}`) });
      expect(res.status).toBe(401);
    }
    // Twilio's unauthenticated first calls take nothing from it.
    for (let i = 0; i < 5; i++) expect((await post(target)).status).toBe(401);
    expect(await reasons(s.tenantId)).toHaveLength(20);
  });

  it("refuses right credentials with a wrong signature (403, audited), nothing stored", async () => {
    const s = await setup();
    const { username, password } = await setIntakeAuth(s.ctx, s.integration.id);
    const target = bare(s.integration.id);
    const authorization = basic(username, password);
    const forged = await post(target, {
      signUrl: withCredentials(target, username, password),
      secret: "someoneElsesAuthToken00000000001",
      authorization,
    });
    expect(forged.status).toBe(403);
    // Signed for the other kind's URL: the credentials do not make the signature portable.
    const moved = await post(target, {
      signUrl: withCredentials(bare(s.integration.id, "sms"), username, password),
      authorization,
    });
    expect(moved.status).toBe(403);
    expect(await events(s.tenantId)).toHaveLength(0);
    expect(await reasons(s.tenantId)).toEqual(["invalid_signature", "invalid_signature"]);
  });

  it("regenerating retires the old credentials; turning it off accepts signed calls without them", async () => {
    const s = await setup();
    const old = await setIntakeAuth(s.ctx, s.integration.id);
    const fresh = await setIntakeAuth(s.ctx, s.integration.id);
    expect(fresh.password).not.toBe(old.password);
    const target = bare(s.integration.id);
    expect((await post(target, { authorization: basic(old.username, old.password) })).status).toBe(
      401,
    );
    expect(
      (await post(target, { authorization: basic(fresh.username, fresh.password) })).status,
    ).toBe(200);

    await removeIntakeAuth(s.ctx, s.integration.id);
    const signed = await post(target);
    expect(signed.status).toBe(200);
    expect(signed.headers.get("www-authenticate")).toBeNull();
    const changes = (await audit(s.tenantId, "integration.updated")).map(
      (e) => (e.details as { intake_auth?: string }).intake_auth,
    );
    expect(changes).toEqual(["enabled", "regenerated", "disabled"]);
    // Without credentials set, a request without a signature is still a bare 403.
    const unsigned = await POST(
      new NextRequest(target, { method: "POST", body: "MessageSid=SMx" }),
      { params: Promise.resolve({ integrationId: s.integration.id, kind: "message-status" }) },
    );
    expect(unsigned.status).toBe(403);
  });

  it("is scoped to the tenant: another tenant's integration is not found", async () => {
    const s = await setup();
    const other = await setup();
    await expect(setIntakeAuth(s.ctx, other.integration.id)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(removeIntakeAuth(s.ctx, other.integration.id)).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("is set through the integrations API, which shows the credentialed URLs once", async () => {
    const s = await setup();
    const key = await createApiKey(s.ctx, {
      name: "admin",
      environment: "test",
      scopes: ["integrations:write"],
    });
    const request = (method: string) =>
      new NextRequest(`http://localhost/api/v2/integrations/${s.integration.id}/intake-auth`, {
        method,
        headers: { "x-api-key": key.key },
      });
    const params = { params: Promise.resolve({ integrationId: s.integration.id }) };
    const created = await intakeAuthRoute.POST(request("POST"), params);
    expect(created.status).toBe(200);
    const body = (await created.json()) as {
      intake_auth: { username: string; password: string; urls: { kind: string; url: string }[] };
    };
    const { username, password, urls } = body.intake_auth;
    const sms = urls.find((u) => u.kind === "sms")?.url ?? "";
    expect(sms).toBe(
      `http://${username}:${password}@localhost/api/v2/webhooks/twilio/${s.integration.id}/sms`,
    );
    // The integration shows who, never the password.
    const shown = await getIntegrationRoute(request("GET"), params);
    const integration = ((await shown.json()) as { integration: Record<string, unknown> })
      .integration;
    expect(integration.intake_auth_username).toBe(username);
    expect(JSON.stringify(integration)).not.toContain(password);

    const removed = await intakeAuthRoute.DELETE(request("DELETE"), params);
    expect(removed.status).toBe(204);
    const [row] = await getDb()
      .select()
      .from(integrations)
      .where(eq(integrations.id, s.integration.id));
    expect(row).toMatchObject({ intakeAuthUsername: null, intakeAuthHash: null });
  });
});

describe("the Auth Token of the basic_auth credential as the webhook credential (#17)", () => {
  async function integrationWith(ctx: Awaited<ReturnType<typeof setup>>["ctx"], hookId: string) {
    const twilioCred = await sealCredential(ctx, {
      type: "basic_auth",
      name: "account",
      values: { username: ACCOUNT, password: AUTH_TOKEN },
    });
    return createIntegration(ctx, {
      name: "auth token",
      system_type: "twilio",
      credential_id: twilioCred.id,
      webhook_credential_id: hookId === "same" ? twilioCred.id : hookId,
      allowed_operations: [],
      allowed_countries: [],
      ...INTEGRATION_LIMIT_DEFAULTS,
      enabled: true,
    });
  }

  it("validates signatures with the basic_auth credential's Auth Token", async () => {
    const s = await setup();
    const integration = await integrationWith(s.ctx, "same");
    expect(integration.webhook_credential_id).toBe(integration.credential_id);
    const target = bare(integration.id);
    expect((await post(target, { secret: AUTH_TOKEN })).status).toBe(200);
    expect((await post(target, { secret: SECRET })).status).toBe(403);
    const [received] = await audit(s.tenantId, "webhook.received");
    expect(received?.details).toMatchObject({ validated_with: "current", credential_version: 1 });
    // With intake credentials as well: both checks, the signature still with the Auth Token.
    const { username, password } = await setIntakeAuth(s.ctx, integration.id);
    const again = await post(target, {
      secret: AUTH_TOKEN,
      signUrl: withCredentials(target, username, password),
      authorization: basic(username, password),
    });
    expect(again.status).toBe(200);
  });

  it("refuses an api_key credential as the webhook credential (its secret signs no webhooks)", async () => {
    const s = await setup();
    const apiKeyCred = await sealCredential(s.ctx, {
      type: "api_key",
      name: "key",
      values: {
        account_sid: ACCOUNT,
        key_sid: `SK${"7e".repeat(16)}`,
        key_secret: "apiKeySecretNotAnAuthToken000001",
      },
    });
    const refused = integrationWith(s.ctx, apiKeyCred.id);
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({
      code: "invalid_input",
      options: { fieldErrors: { webhook_credential_id: [expect.stringMatching(/api_key/)] } },
    });
    await expect(
      updateIntegration(s.ctx, s.integration.id, { webhook_credential_id: apiKeyCred.id }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    const [row] = await getDb()
      .select()
      .from(integrations)
      .where(eq(integrations.id, s.integration.id));
    expect(row?.webhookCredentialId).not.toBe(apiKeyCred.id);
  });
});
