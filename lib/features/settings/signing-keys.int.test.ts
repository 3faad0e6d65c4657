import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GET as keysRoute } from "@/app/api/v2/keys/route";
import { getDb } from "@/db";
import { auditEvents, signingKeyFetches } from "@/db/schema";
import { createApiKey } from "@/lib/features/api-keys/service";
import { signCheckpoint } from "@/lib/features/audit/checkpoints";
import { systemActing } from "@/lib/platform/request-context/acting";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { clearKeyCache, currentTenantKey } from "@/lib/platform/keys/tenant-keys";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { fromB64 } from "@/lib/shared/crypto/bytes";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";
import { generateClientKeyPair } from "@/lib/shared/sdk/index";
import { followKeyChain } from "@/lib/shared/sdk/key-chain";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { rotateTenantKeyAction } from "./actions";
import { getSettingsOverview } from "./queries";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

async function adminOfNewTenant() {
  const t = await createTestTenant();
  const u = await createTestUser("keys");
  await addMember(t.id, u.id, "admin");
  session.user = testSession(u, "ses_x");
  const ctx = await resolveTenant(t.id, "keys:write");
  const key = await createApiKey(ctx, {
    name: "billing worker",
    environment: "test",
    scopes: ["proxy"],
    clientPublicKey: generateClientKeyPair().publicKey,
  });
  return { tenantId: t.id, key };
}

afterEach(() => clearKeyCache());

describe("rotate signing key (Settings)", () => {
  it("publishes an endorsed key that signs only from the switch-over it was given", async () => {
    const { tenantId } = await adminOfNewTenant();
    const first = await currentTenantKey(tenantId, "signing");
    const before = Date.now();
    const result = await rotateTenantKeyAction(
      {},
      form({ tenantId, kind: "signing", switchoverHours: "6" }),
    );
    expect(result.ok).toBe(true);
    expect(result.message).toMatch(/published now and signs from/);

    const { signingKeys } = await getSettingsOverview({ tenantId });
    const [second, old] = signingKeys;
    expect(second?.state).toBe("pending");
    expect(old?.state).toBe("signing");
    expect(second?.endorsedBy).toBe(first.id);
    const at = second?.activatesAt?.getTime() ?? 0;
    expect(at - before).toBeGreaterThanOrEqual(6 * 3600_000);
    expect(at - before).toBeLessThan(6 * 3600_000 + 60_000);
    // The old key signs until exactly then.
    expect(old?.retiredAt?.getTime()).toBe(at);
    expect((await currentTenantKey(tenantId, "signing")).id).toBe(first.id);
    // Audit checkpoints too: the old key signs them until the switch-over.
    expect((await signCheckpoint(systemActing(tenantId)))?.key_id).toBe(first.id);

    // Its endorsement verifies under the first key, as an SDK client checks it.
    const trusted = new Map([[first.id, fromB64(first.publicKey)]]);
    const listed = [
      {
        id: second?.id,
        version: second?.version,
        algorithm: second?.algorithm,
        public_key: second?.publicKey,
        activates_at: second?.activatesAt?.toISOString(),
        endorsed_by: second?.endorsedBy,
        endorsement: second?.endorsement,
      },
    ];
    expect(followKeyChain(nobleBackend, tenantId, trusted, listed).added).toEqual([second?.id]);
    // Bound to its tenant: the same listing chains to nothing for another tenant id.
    const elsewhere = new Map([[first.id, fromB64(first.publicKey)]]);
    expect(followKeyChain(nobleBackend, "ten_other", elsewhere, listed).added).toEqual([]);

    const [event] = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, "key.rotated")));
    expect(event?.details).toMatchObject({
      kind: "signing",
      previous_key_id: first.id,
      activates_at: second?.activatesAt?.toISOString(),
    });
    expect(JSON.stringify(event)).not.toMatch(/wrapped|secret|endorsement/i);
  });

  it("refuses a switch-over it cannot take, and 0 hours switches at once", async () => {
    const { tenantId } = await adminOfNewTenant();
    const first = await currentTenantKey(tenantId, "signing");
    for (const bad of ["721", "-1", "1.5", "soon"]) {
      const refused = await rotateTenantKeyAction(
        {},
        form({ tenantId, kind: "signing", switchoverHours: bad }),
      );
      expect(refused.errors?.switchoverHours, bad).toBeDefined();
    }
    expect((await getSettingsOverview({ tenantId })).signingKeys).toHaveLength(1);
    await rotateTenantKeyAction({}, form({ tenantId, kind: "signing", switchoverHours: "0" }));
    const now = await currentTenantKey(tenantId, "signing");
    expect(now.version).toBe(2);
    expect(now.endorsedBy).toBe(first.id);
  });

  it("shows which of the tenant's API keys fetched each signing key, and no other tenant's", async () => {
    const a = await adminOfNewTenant();
    const b = await adminOfNewTenant();
    await currentTenantKey(a.tenantId, "signing");
    const bKey = await currentTenantKey(b.tenantId, "signing");
    const res = await keysRoute(
      new NextRequest("http://localhost/api/v2/keys", { headers: { "x-api-key": a.key.key } }),
    );
    expect(res.status).toBe(200);
    // A fetch row naming tenant A's API key under tenant B (never written by the route) does
    // not show A's key name on B's page.
    await getDb()
      .insert(signingKeyFetches)
      .values({ tenantId: b.tenantId, apiKeyId: a.key.id, signingKeyId: bKey.id })
      .onConflictDoNothing();

    const shownA = await getSettingsOverview({ tenantId: a.tenantId });
    expect(shownA.signingKeys[0]?.fetchedBy).toEqual([
      expect.objectContaining({ apiKeyId: a.key.id, name: "billing worker" }),
    ]);
    const shownB = await getSettingsOverview({ tenantId: b.tenantId });
    expect(shownB.signingKeys.flatMap((k) => k.fetchedBy)).toEqual([]);
    expect(shownA.switchoverHours).toBe(24);
  });
});
