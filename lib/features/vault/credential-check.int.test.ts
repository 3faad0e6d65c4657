// Sealing checks the credential against Twilio's account fetch (the double here): a wrong
// Auth Token or API key is refused with Twilio's error and nothing is written; an accepted one
// stores the masked Account SID and when it was verified; "Check again" repeats the fetch.
import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as rotateRoute } from "@/app/api/v2/vault/credentials/[credentialId]/rotate/route";
import { POST as sealRoute } from "@/app/api/v2/vault/seal/route";
import { getDb } from "@/db";
import { auditEvents, credentials } from "@/db/schema";
import { createApiKey } from "@/lib/features/api-keys/service";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { sealCredentialAction, verifyCredentialAction } from "./actions";
import { sealCredential } from "./service";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const ACCOUNT = `AC${"c4".repeat(16)}`;
const TOKEN = "checkTestAuthTokenValue000000001";
const OTHER_ACCOUNT = `AC${"d5".repeat(16)}`;
const OTHER_TOKEN = "otherAccountAuthToken00000000001";
const KEY_SID = `SK${"e6".repeat(16)}`;
const KEY_SECRET = "checkTestApiKeySecret00000000001";
const OTHER_KEY_SID = `SK${"f7".repeat(16)}`;
const OTHER_KEY_SECRET = "otherAccountApiKeySecret00000001";
const WRONG = "wrongAuthTokenValue0000000000001";
const MASKED = `AC…${ACCOUNT.slice(-4)}`;

let double: TwilioDouble;
let doubleOpen = false;
beforeAll(async () => {
  double = await startTwilioDouble({
    port: Number(process.env.TWILIO_DOUBLE_PORT),
    accounts: [
      { sid: ACCOUNT, authToken: TOKEN, apiKeys: [{ sid: KEY_SID, secret: KEY_SECRET }] },
      {
        sid: OTHER_ACCOUNT,
        authToken: OTHER_TOKEN,
        apiKeys: [{ sid: OTHER_KEY_SID, secret: OTHER_KEY_SECRET }],
      },
    ],
  });
  doubleOpen = true;
});
afterAll(async () => {
  if (doubleOpen) await double.close();
});

async function admin() {
  const t = await createTestTenant();
  const u = await createTestUser("checkadmin");
  await addMember(t.id, u.id, "admin");
  session.user = testSession(u, "ses_check");
  const ctx = await resolveTenant(t.id, "vault:write");
  const key = await createApiKey(ctx, {
    name: "vault",
    environment: "test",
    scopes: ["vault:seal"],
  });
  return { tenantId: t.id, ctx, apiKey: key.key };
}

const post = (url: string, apiKey: string, body: unknown) =>
  new NextRequest(`http://localhost${url}`, {
    method: "POST",
    headers: { "x-api-key": apiKey, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const seal = (apiKey: string, credential_type: string, values: Record<string, string>) =>
  sealRoute(post("/api/v2/vault/seal", apiKey, { credential_type, name: "Twilio", values }));
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};

/** What the tenant has in the vault and its audit log (a refusal must leave both as they were). */
async function written(tenantId: string) {
  const rows = await getDb().select().from(credentials).where(eq(credentials.tenantId, tenantId));
  const events = await getDb()
    .select({ action: auditEvents.action, outcome: auditEvents.outcome })
    .from(auditEvents)
    .where(eq(auditEvents.tenantId, tenantId));
  return {
    credentials: rows.length,
    vaultEvents: events.filter((e) => e.action !== "api_key.created"),
  };
}

type ErrorBody = { code: string; detail: string; remediation?: string };

describe("checking credentials at sealing", () => {
  it("bounds the checks per tenant, so PQSeal is no oracle for leaked credentials", async () => {
    const { tenantId, apiKey } = await admin();
    const answers: number[] = [];
    for (let i = 0; i < 21; i++) {
      answers.push(
        (await seal(apiKey, "basic_auth", { username: ACCOUNT, password: WRONG })).status,
      );
    }
    expect(answers.slice(0, 20)).toEqual(Array<number>(20).fill(422));
    const limited = await seal(apiKey, "basic_auth", { username: ACCOUNT, password: TOKEN });
    expect(answers[20]).toBe(429);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(((await limited.json()) as ErrorBody).code).toBe("rate_limited_credential_checks");
    // Another tenant is not held back.
    const other = await admin();
    expect(
      (await seal(other.apiKey, "basic_auth", { username: ACCOUNT, password: TOKEN })).status,
    ).toBe(201);
    expect((await written(tenantId)).credentials).toBe(0);
  });

  it("refuses a wrong Auth Token with Twilio's 20003 (422) and writes nothing", async () => {
    const { tenantId, apiKey } = await admin();
    const before = await written(tenantId);
    const fetches = double.requests.length;
    const res = await seal(apiKey, "basic_auth", { username: ACCOUNT, password: WRONG });
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.code).toBe("credential_rejected");
    expect(body.detail).toBe(
      "Twilio refused this Account SID and Auth Token (error 20003). Check the Auth Token in the Twilio Console.",
    );
    expect(JSON.stringify(body)).not.toContain(WRONG);
    expect(JSON.stringify(body)).not.toContain(ACCOUNT);
    // Twilio was asked, with the account fetch, once.
    expect(double.requests.slice(fetches)).toEqual([
      { method: "GET", path: `/2010-04-01/Accounts/${ACCOUNT}.json`, params: {} },
    ]);
    expect(await written(tenantId)).toEqual(before);
    expect(before.credentials).toBe(0);
  });

  it("seals an accepted Auth Token with the masked Account SID and the time Twilio accepted it", async () => {
    const { tenantId, apiKey } = await admin();
    const started = Date.now();
    const res = await seal(apiKey, "basic_auth", { username: ACCOUNT, password: TOKEN });
    expect(res.status).toBe(201);
    const { credential } = (await res.json()) as {
      credential: { id: string; account_sid_masked: string; verified_at: string };
    };
    expect(credential.account_sid_masked).toBe(MASKED);
    expect(Date.parse(credential.verified_at)).toBeGreaterThanOrEqual(started - 1000);
    const [row] = await getDb().select().from(credentials).where(eq(credentials.id, credential.id));
    expect(row?.accountSidMasked).toBe(MASKED);
    expect(row?.verifiedAt?.toISOString()).toBe(credential.verified_at);
    const [event] = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, "vault.sealed")));
    expect(event?.details).toMatchObject({ account_sid_masked: MASKED, verified: true });
  });

  it("checks API keys too: a key of another account is 20404, a wrong secret 20003", async () => {
    const { tenantId, apiKey } = await admin();
    const good = await seal(apiKey, "api_key", {
      account_sid: ACCOUNT,
      key_sid: KEY_SID,
      key_secret: KEY_SECRET,
    });
    expect(good.status).toBe(201);
    const otherAccount = await seal(apiKey, "api_key", {
      account_sid: ACCOUNT,
      key_sid: OTHER_KEY_SID,
      key_secret: OTHER_KEY_SECRET,
    });
    expect(otherAccount.status).toBe(422);
    const other = (await otherAccount.json()) as ErrorBody;
    expect(other.code).toBe("credential_account_mismatch");
    expect(other.detail).toContain(MASKED);
    const wrong = await seal(apiKey, "api_key", {
      account_sid: ACCOUNT,
      key_sid: KEY_SID,
      key_secret: WRONG,
    });
    expect((await wrong.json()) as ErrorBody).toMatchObject({
      code: "credential_rejected",
      detail: expect.stringContaining("Check the API Key SID and secret") as unknown,
    });
    expect((await written(tenantId)).credentials).toBe(1);
  });

  it("does not ask Twilio about a webhook signing secret", async () => {
    const { apiKey } = await admin();
    const fetches = double.requests.length;
    const res = await seal(apiKey, "webhook_secret", { secret: "whsec-not-checked" });
    expect(res.status).toBe(201);
    const { credential } = (await res.json()) as { credential: Record<string, unknown> };
    expect(credential).toMatchObject({ account_sid_masked: null, verified_at: null });
    expect(double.requests.length).toBe(fetches);
  });

  it("checks rotated values: a wrong token leaves the version as it was", async () => {
    const { tenantId, apiKey } = await admin();
    const sealed = (await (
      await seal(apiKey, "basic_auth", { username: ACCOUNT, password: TOKEN })
    ).json()) as { credential: { id: string; verified_at: string } };
    const id = sealed.credential.id;
    const rotate = (values: Record<string, string>) =>
      rotateRoute(post(`/api/v2/vault/credentials/${id}/rotate`, apiKey, { values }), {
        params: Promise.resolve({ credentialId: id }),
      });
    const refused = await rotate({ username: ACCOUNT, password: WRONG });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as ErrorBody).code).toBe("credential_rejected");
    const [unchanged] = await getDb().select().from(credentials).where(eq(credentials.id, id));
    expect(unchanged?.currentVersion).toBe(1);
    const rotated = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, "vault.rotated")));
    expect(rotated).toEqual([]);

    // Another account's Auth Token: a new masked SID, checked now.
    const ok = await rotate({ username: OTHER_ACCOUNT, password: OTHER_TOKEN });
    expect(ok.status).toBe(200);
    const { credential } = (await ok.json()) as {
      credential: { version: number; account_sid_masked: string; verified_at: string };
    };
    expect(credential.version).toBe(2);
    expect(credential.account_sid_masked).toBe(`AC…${OTHER_ACCOUNT.slice(-4)}`);
  });

  it("the console form says what Twilio refused, seals nothing, and seals the right token", async () => {
    const { tenantId } = await admin();
    const refused = await sealCredentialAction(
      {},
      form({
        tenantId,
        credential_type: "basic_auth",
        name: "Production Twilio",
        username: ACCOUNT,
        password: WRONG,
      }),
    );
    expect(refused.ok).toBeUndefined();
    expect(refused.message).toContain("(error 20003)");
    expect((await written(tenantId)).credentials).toBe(0);
    const sealed = await sealCredentialAction(
      {},
      form({
        tenantId,
        credential_type: "basic_auth",
        name: "Production Twilio",
        username: ACCOUNT,
        password: TOKEN,
      }),
    );
    expect(sealed.ok).toBe(true);
    expect(sealed.message).toMatch(
      /^Sealed cred_\w+ \(fingerprint [0-9a-f]+\): Twilio accepted it\.$/,
    );
    const [row] = await getDb()
      .select()
      .from(credentials)
      .where(eq(credentials.tenantId, tenantId));
    expect(row?.accountSidMasked).toBe(MASKED);
    expect(row?.verifiedAt).toBeInstanceOf(Date);
  });
});

describe("Check again", () => {
  it("updates the verification time when Twilio accepts, audits either outcome", async () => {
    const { tenantId, ctx } = await admin();
    // Sealed without a check (as tests and seeders do): masked SID, never verified.
    const good = await sealCredential(ctx, {
      type: "basic_auth",
      name: "good",
      values: { username: ACCOUNT, password: TOKEN },
    });
    expect(good).toMatchObject({ account_sid_masked: MASKED, verified_at: null });
    const ok = await verifyCredentialAction({}, form({ tenantId, credentialId: good.id }));
    expect(ok).toMatchObject({ ok: true });
    const [verified] = await getDb().select().from(credentials).where(eq(credentials.id, good.id));
    expect(verified?.verifiedAt).toBeInstanceOf(Date);

    // The token was rotated in Twilio since: refused with Twilio's reason, the time stays.
    const stale = await sealCredential(ctx, {
      type: "basic_auth",
      name: "stale",
      values: { username: ACCOUNT, password: WRONG },
    });
    const refused = await verifyCredentialAction({}, form({ tenantId, credentialId: stale.id }));
    expect(refused.ok).toBeUndefined();
    expect(refused.message).toContain("(error 20003)");
    const [still] = await getDb().select().from(credentials).where(eq(credentials.id, stale.id));
    expect(still?.verifiedAt).toBeNull();

    const events = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, "vault.verified")));
    expect(events.map((e) => [e.targetId, e.outcome, e.details])).toEqual([
      [good.id, "succeeded", { version: 1, account_sid_masked: MASKED }],
      [
        stale.id,
        "failed",
        { version: 1, account_sid_masked: MASKED, error: "credential_rejected" },
      ],
    ]);
    expect(JSON.stringify(events)).not.toContain(WRONG);
  });

  it("is refused for a webhook secret and for roles that may not change the vault", async () => {
    const { tenantId, ctx } = await admin();
    const hook = await sealCredential(ctx, {
      type: "webhook_secret",
      name: "hooks",
      values: { secret: "whsec-value" },
    });
    const notTwilio = await verifyCredentialAction({}, form({ tenantId, credentialId: hook.id }));
    expect(notTwilio.message).toContain("not checked against Twilio");
    const twilio = await sealCredential(ctx, {
      type: "basic_auth",
      name: "main",
      values: { username: ACCOUNT, password: TOKEN },
    });
    const operator = await createTestUser("checkoperator");
    await addMember(tenantId, operator.id, "operator");
    session.user = testSession(operator, "ses_operator");
    const denied = await verifyCredentialAction({}, form({ tenantId, credentialId: twilio.id }));
    expect(denied.message).toMatch(/does not allow/);
    const [row] = await getDb().select().from(credentials).where(eq(credentials.id, twilio.id));
    expect(row?.verifiedAt).toBeNull();
  });
});

describe("Twilio unreachable", () => {
  it("refuses sealing with a retryable 503 upstream_unavailable and writes nothing", async () => {
    const { tenantId, apiKey } = await admin();
    await double.close();
    doubleOpen = false;
    const before = await written(tenantId);
    const res = await seal(apiKey, "basic_auth", { username: ACCOUNT, password: TOKEN });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    expect((await res.json()) as ErrorBody).toMatchObject({
      code: "upstream_unavailable",
      detail: expect.stringContaining("nothing was saved") as unknown,
    });
    expect(await written(tenantId)).toEqual(before);
  });
});
