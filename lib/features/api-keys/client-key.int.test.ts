import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { apiKeys, clientPublicKeys } from "@/db/schema";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { generateClientKeyPair } from "@/lib/shared/sdk/keys";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { createApiKeyAction } from "./actions";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    for (const one of Array.isArray(v) ? v : [v]) data.append(k, one);
  }
  return data;
};

async function adminOfNewTenant() {
  const t = await createTestTenant();
  const u = await createTestUser("keys");
  await addMember(t.id, u.id, "admin");
  session.user = testSession(u, "ses_x");
  return t.id;
}

const keysOf = (tenantId: string) =>
  getDb().select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId));
const clientKeysOf = (tenantId: string) =>
  getDb().select().from(clientPublicKeys).where(eq(clientPublicKeys.tenantId, tenantId));

describe("create an API key: the client key pair only where answers are encrypted", () => {
  it("creates an audit:read (or vault/integrations) key without a client key", async () => {
    const tenantId = await adminOfNewTenant();
    const audit = await createApiKeyAction(
      {},
      form({ tenantId, name: "exporter", scopes: "audit:read" }),
    );
    expect(audit).toMatchObject({ ok: true, data: { clientKeyId: null } });
    expect(audit.data?.key).toMatch(/^qs_live_/);
    const both = await createApiKeyAction(
      {},
      form({ tenantId, name: "provisioner", scopes: ["vault:seal", "integrations:write"] }),
    );
    expect(both).toMatchObject({ ok: true, data: { clientKeyId: null } });
    const rows = await keysOf(tenantId);
    expect(rows.map((r) => [r.name, r.clientKeyId]).sort()).toEqual([
      ["exporter", null],
      ["provisioner", null],
    ]);
    expect(await clientKeysOf(tenantId)).toHaveLength(0);
  });

  it("refuses a proxy key without a client key, and creates it with one", async () => {
    const tenantId = await adminOfNewTenant();
    const refused = await createApiKeyAction(
      {},
      form({ tenantId, name: "sender", scopes: ["audit:read", "proxy"], clientPublicKey: "" }),
    );
    expect(refused.ok).toBeUndefined();
    expect(Object.keys(refused.errors ?? {})).toEqual(["clientPublicKey"]);
    expect(refused.errors?.clientPublicKey?.[0]).toMatch(/proxy scope needs a client key pair/);
    expect(await keysOf(tenantId)).toHaveLength(0);

    const pair = generateClientKeyPair();
    const created = await createApiKeyAction(
      {},
      form({ tenantId, name: "sender", scopes: "proxy", clientPublicKey: pair.publicKey }),
    );
    expect(created.ok).toBe(true);
    const [row] = await keysOf(tenantId);
    const [clientKey] = await clientKeysOf(tenantId);
    expect(row?.clientKeyId).toMatch(/^ckey_/);
    expect(row?.clientKeyId).toBe(created.data?.clientKeyId);
    expect(clientKey?.publicKey).toBe(pair.publicKey);
  });

  it("still binds a client key to a key without the proxy scope when one is sent", async () => {
    const tenantId = await adminOfNewTenant();
    const created = await createApiKeyAction(
      {},
      form({
        tenantId,
        name: "webhook receiver",
        scopes: "audit:read",
        // The console's "make a client key pair anyway" box rides along; the schema ignores it.
        withClientKey: "on",
        clientPublicKey: generateClientKeyPair().publicKey,
      }),
    );
    expect(created.data?.clientKeyId).toMatch(/^ckey_/);
    expect(await clientKeysOf(tenantId)).toHaveLength(1);
  });
});
