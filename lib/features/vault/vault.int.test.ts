import { GenerateDataKeyCommand } from "@aws-sdk/client-kms";
import { eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as keysRoute } from "@/app/api/v2/keys/route";
import { DELETE as deleteRoute } from "@/app/api/v2/vault/credentials/[credentialId]/route";
import { POST as rotateRoute } from "@/app/api/v2/vault/credentials/[credentialId]/rotate/route";
import { GET as listRoute } from "@/app/api/v2/vault/credentials/route";
import { POST as sealRoute } from "@/app/api/v2/vault/seal/route";
import { getDb } from "@/db";
import { auditEvents, credentials, tenants } from "@/db/schema";
import { createApiKey } from "@/lib/features/api-keys/service";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { clearKeyCache, currentTenantKey, rotateTenantKey } from "@/lib/platform/keys/tenant-keys";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { mockAwsKms } from "@/test/aws-kms-double";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { rotateCredential, sealCredential, unsealCredential } from "./service";
import { rewrapTenant } from "@/lib/platform/sealing/rewrap-tenant";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

const ACCOUNT_SID = `AC${"a1".repeat(16)}`;
const AUTH_TOKEN = "f1x7ur3au7h70k3n5ecre7000000beef";
const KEY_SECRET = "Sk3yS3cr3tF1xtureValue0123456789";
const WEBHOOK_SECRET = "whsecF1xtureWebhookSigningSecret";
const KEY_SID = `SK${"b2".repeat(16)}`;

// The API seals basic_auth and api_key values only after Twilio's account fetch accepts them.
let double: TwilioDouble;
beforeAll(async () => {
  double = await startTwilioDouble({
    port: Number(process.env.TWILIO_DOUBLE_PORT),
    accounts: [
      { sid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiKeys: [{ sid: KEY_SID, secret: KEY_SECRET }] },
    ],
  });
});
afterAll(() => double.close());

async function adminOfNewTenant() {
  const t = await createTestTenant();
  const u = await createTestUser("vaultadmin");
  await addMember(t.id, u.id, "admin");
  session.user = testSession(u, "ses_x");
  const ctx = await resolveTenant(t.id, "vault:write");
  const apiKey = await createApiKey(ctx, {
    name: "vault bot",
    environment: "test",
    scopes: ["vault:seal"],
  });
  return { tenantId: t.id, ctx, apiKey: apiKey.key };
}

const req = (url: string, apiKey: string, method = "GET", body?: unknown) =>
  new NextRequest(`http://localhost${url}`, {
    method,
    headers: { "x-api-key": apiKey, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const params = (credentialId: string) => ({ params: Promise.resolve({ credentialId }) });

/** Every column of every row in the database, as text, for "no plaintext anywhere" checks. */
async function wholeDatabaseText(): Promise<string> {
  const tables = JSON.stringify(
    await getDb().execute(
      sql`select table_name from information_schema.tables where table_schema = 'public'`,
    ),
  );
  const names = [...tables.matchAll(/"table_name":"(\w+)"/g)].map((m) => m[1] ?? "");
  expect(names).toContain("credential_versions");
  let out = "";
  for (const name of names) {
    out += JSON.stringify(await getDb().execute(sql.raw(`select * from "${name}"`)));
  }
  return out;
}

describe("vault", () => {
  afterEach(() => clearKeyCache());

  it("seals each credential type, answers metadata only and stores no plaintext anywhere", async () => {
    const { apiKey } = await adminOfNewTenant();
    const cases = [
      { credential_type: "basic_auth", values: { username: ACCOUNT_SID, password: AUTH_TOKEN } },
      {
        credential_type: "api_key",
        values: {
          account_sid: ACCOUNT_SID,
          key_sid: KEY_SID,
          key_secret: KEY_SECRET,
        },
      },
      { credential_type: "webhook_secret", values: { secret: WEBHOOK_SECRET } },
    ];
    for (const c of cases) {
      const res = await sealRoute(
        req("/api/v2/vault/seal", apiKey, "POST", { ...c, name: c.credential_type }),
      );
      expect(res.status).toBe(201);
      const text = await res.text();
      const { credential } = JSON.parse(text) as { credential: Record<string, unknown> };
      expect(credential.id).toMatch(/^cred_[0-9A-Z]{26}$/);
      expect(credential).toMatchObject({ type: c.credential_type, version: 1 });
      expect(credential.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      for (const v of Object.values(c.values)) {
        if (v !== ACCOUNT_SID && !String(v).startsWith("SK")) expect(text).not.toContain(v);
      }
    }
    const everything = await wholeDatabaseText();
    for (const secret of [AUTH_TOKEN, KEY_SECRET, WEBHOOK_SECRET, ACCOUNT_SID]) {
      expect(everything).not.toContain(secret);
    }
    const list = await listRoute(req("/api/v2/vault/credentials", apiKey));
    const listText = await list.text();
    expect((JSON.parse(listText) as { credentials: unknown[] }).credentials).toHaveLength(3);
    expect(listText).not.toContain(AUTH_TOKEN);
  });

  it("refuses bad values and unknown types with a clear 400 and writes nothing", async () => {
    const { tenantId, apiKey } = await adminOfNewTenant();
    const before = await getDb().$count(auditEvents, eq(auditEvents.tenantId, tenantId));
    const unknown = await sealRoute(
      req("/api/v2/vault/seal", apiKey, "POST", {
        credential_type: "oauth",
        name: "x",
        values: {},
      }),
    );
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toContain("basic_auth, api_key, webhook_secret");
    const bad = await sealRoute(
      req("/api/v2/vault/seal", apiKey, "POST", {
        credential_type: "basic_auth",
        name: "x",
        values: { username: "AC123", password: "" },
      }),
    );
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { code: string; detail: string };
    expect(body.code).toBe("invalid_input");
    expect(body.detail).toContain("values.username");
    expect(body.detail).toContain("values.password");
    // a name that reads as a phone number would be refused by the audit log: 400, not 500 (#13)
    const phoneName = await sealRoute(
      req("/api/v2/vault/seal", apiKey, "POST", {
        credential_type: "webhook_secret",
        name: "+14155550123",
        values: { secret: WEBHOOK_SECRET },
      }),
    );
    expect(phoneName.status).toBe(400);
    const refused = (await phoneName.json()) as { code: string; detail: string };
    expect(refused.code).toBe("invalid_input");
    expect(refused.detail).toContain("name");
    expect(await getDb().$count(credentials, eq(credentials.tenantId, tenantId))).toBe(0);
    expect(await getDb().$count(auditEvents, eq(auditEvents.tenantId, tenantId))).toBe(before);
  });

  it("keeps tenants apart: another tenant's credential is 404 for rotate, delete and unseal", async () => {
    const a = await adminOfNewTenant();
    const b = await adminOfNewTenant();
    const cred = await sealCredential(a.ctx, {
      type: "webhook_secret",
      name: "a",
      values: { secret: WEBHOOK_SECRET },
    });
    const rotate = await rotateRoute(
      req(`/api/v2/vault/credentials/${cred.id}/rotate`, b.apiKey, "POST", {
        values: { secret: "x" },
      }),
      params(cred.id),
    );
    expect(rotate.status).toBe(404);
    const del = await deleteRoute(req(`/x`, b.apiKey, "DELETE"), params(cred.id));
    expect(del.status).toBe(404);
    await expect(unsealCredential(b.ctx, cred.id, { reason: "test" })).rejects.toThrow(/not found/);
    const list = (await (await listRoute(req("/api/v2/vault/credentials", b.apiKey))).json()) as {
      credentials: unknown[];
    };
    expect(list.credentials).toEqual([]);
    expect((await unsealCredential(a.ctx, cred.id, { reason: "test" }))[0]?.values).toEqual({
      secret: WEBHOOK_SECRET,
    });
  });

  it("rotates: a new version, the old one usable only during its grace period; unseal is audited", async () => {
    const { tenantId, ctx, apiKey } = await adminOfNewTenant();
    const cred = await sealCredential(ctx, {
      type: "webhook_secret",
      name: "hooks",
      values: { secret: WEBHOOK_SECRET },
    });
    const res = await rotateRoute(
      req(`/api/v2/vault/credentials/${cred.id}/rotate`, apiKey, "POST", {
        values: { secret: "newSecretValue" },
        grace_seconds: 3600,
      }),
      params(cred.id),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { credential: { version: number } }).credential.version).toBe(2);
    const current = await unsealCredential(ctx, cred.id, { reason: "proxy" });
    expect(current.map((u) => u.values)).toEqual([{ secret: "newSecretValue" }]);
    const withGrace = await unsealCredential(ctx, cred.id, {
      reason: "webhook",
      includeGrace: true,
    });
    expect(withGrace.map((u) => [u.version, u.values])).toEqual([
      [2, { secret: "newSecretValue" }],
      [1, { secret: WEBHOOK_SECRET }],
    ]);
    await rotateCredential(ctx, cred.id, { values: { secret: "third" }, graceSeconds: 0 });
    const afterNoGrace = await unsealCredential(ctx, cred.id, {
      reason: "webhook",
      includeGrace: true,
    });
    // A rotation without grace ends every older version's grace at once.
    expect(afterNoGrace.map((u) => u.version)).toEqual([3]);
    const unsealed = await getDb()
      .select()
      .from(auditEvents)
      .where(
        sql`${auditEvents.tenantId} = ${tenantId} and ${auditEvents.action} = 'vault.unsealed'`,
      );
    expect(unsealed).toHaveLength(3);
    expect(JSON.stringify(unsealed)).not.toContain("newSecretValue");
  });

  it("deletes a credential (its sealed versions go with it)", async () => {
    const { ctx, apiKey } = await adminOfNewTenant();
    const cred = await sealCredential(ctx, {
      type: "webhook_secret",
      name: "x",
      values: { secret: "s" },
    });
    const res = await deleteRoute(req(`/x`, apiKey, "DELETE"), params(cred.id));
    expect(res.status).toBe(204);
    await expect(unsealCredential(ctx, cred.id, { reason: "t" })).rejects.toThrow(/not found/);
  });

  it("vault key rotation keeps old data readable and the re-wrap job moves it to the newest key", async () => {
    const { tenantId, ctx, apiKey } = await adminOfNewTenant();
    const cred = await sealCredential(ctx, {
      type: "basic_auth",
      name: "main",
      values: { username: ACCOUNT_SID, password: AUTH_TOKEN },
    });
    const v1 = await currentTenantKey(tenantId, "vault");
    const v2 = await rotateTenantKey(ctx, "vault");
    expect(v2.version).toBe(2);
    clearKeyCache();
    expect((await unsealCredential(ctx, cred.id, { reason: "t" }))[0]?.values).toMatchObject({
      password: AUTH_TOKEN,
    });
    const summary = await rewrapTenant(ctx);
    expect(summary).toMatchObject({ sealed_values_resealed: 1, vault_key_id: v2.id });
    const list = (await (await listRoute(req("/api/v2/vault/credentials", apiKey))).json()) as {
      credentials: { vault_key_id: string }[];
    };
    expect(list.credentials[0]?.vault_key_id).toBe(v2.id);
    expect(list.credentials[0]?.vault_key_id).not.toBe(v1.id);
    expect((await unsealCredential(ctx, cred.id, { reason: "t" }))[0]?.values).toMatchObject({
      password: AUTH_TOKEN,
    });
  });

  it("serves the public keys with fingerprints at GET /api/v2/keys, all versions", async () => {
    const { tenantId, ctx, apiKey } = await adminOfNewTenant();
    await currentTenantKey(tenantId, "signing");
    await rotateTenantKey(ctx, "signing", { switchoverHours: 0 });
    const res = await keysRoute(req("/api/v2/keys", apiKey));
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      tenant_id: string;
      signing_keys: {
        version: number;
        current: boolean;
        fingerprint_sha256: string;
        public_key: string;
      }[];
    };
    expect(body.tenant_id).toBe(tenantId);
    expect(body.signing_keys.map((k) => [k.version, k.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(Buffer.from(body.signing_keys[0]?.public_key ?? "", "base64")).toHaveLength(1952);
    expect(JSON.stringify(body)).not.toMatch(/wrapped|secret/i);
    const none = await keysRoute(req("/api/v2/keys", "qs_live_nope"));
    expect(none.status).toBe(401);
  });

  it("lists a new tenant's signing key at GET /api/v2/keys before any envelope, so a client can pin it", async () => {
    const { tenantId, apiKey } = await adminOfNewTenant();
    const body = (await (await keysRoute(req("/api/v2/keys", apiKey))).json()) as {
      signing_keys: { id: string; current: boolean }[];
    };
    const current = await currentTenantKey(tenantId, "signing");
    expect(body.signing_keys.map((k) => [k.id, k.current])).toEqual([[current.id, true]]);
  });

  it("wraps with the tenant's AWS KMS key (GenerateDataKey/Decrypt, encryption context bound)", async () => {
    const { kms, dataKeys } = mockAwsKms();
    try {
      const { tenantId, ctx } = await adminOfNewTenant();
      const before = await sealCredential(ctx, {
        type: "webhook_secret",
        name: "local first",
        values: { secret: WEBHOOK_SECRET },
      });
      await getDb()
        .update(tenants)
        .set({
          kmsProvider: "aws-kms",
          kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc-123",
        })
        .where(eq(tenants.id, tenantId));
      const summary = await rewrapTenant(ctx);
      expect(summary.kms_provider).toBe("aws-kms");
      expect(summary.by_table.credential_versions).toBe(1);
      const after = await sealCredential(ctx, {
        type: "webhook_secret",
        name: "aws",
        values: { secret: "awsSealed" },
      });
      const text = await wholeDatabaseText();
      expect(text).toMatch(/aws1\.eu-west-1\./);
      expect(text).not.toContain("awsSealed");
      expect(kms.commandCalls(GenerateDataKeyCommand)[0]?.args[0].input).toMatchObject({
        KeyId: "arn:aws:kms:eu-west-1:123456789012:key/abc-123",
        KeySpec: "AES_256",
        EncryptionContext: { tenant_id: tenantId },
      });
      clearKeyCache();
      expect((await unsealCredential(ctx, before.id, { reason: "t" }))[0]?.values).toEqual({
        secret: WEBHOOK_SECRET,
      });
      expect((await unsealCredential(ctx, after.id, { reason: "t" }))[0]?.values).toEqual({
        secret: "awsSealed",
      });
      // A wrapped value moved to another tenant's context does not decrypt.
      dataKeys.forEach((v) => (v.context = v.context.replace(tenantId, "ten_other")));
      clearKeyCache();
      await expect(unsealCredential(ctx, after.id, { reason: "t" })).rejects.toThrow();
    } finally {
      kms.restore();
    }
  });
});
