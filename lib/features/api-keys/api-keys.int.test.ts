import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { apiKeys, auditEvents } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { systemActing } from "@/lib/platform/request-context/acting";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { auditEventsResponse } from "@/lib/features/audit/http";
import { POST as verifyRoute } from "@/app/api/v2/audit/verify/route";
import { authenticateApiKey } from "@/lib/platform/keys/api-keys";
import { createApiKey, revokeApiKey } from "./service";
import { withApiKey } from "@/lib/platform/request-context/with-api-key";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

async function ownerOfNewTenant() {
  const t = await createTestTenant();
  const u = await createTestUser("keyowner");
  await addMember(t.id, u.id, "owner");
  session.user = testSession(u, "ses_x");
  return { tenant: t, ctx: await resolveTenant(t.id, "keys:write") };
}

const route = withApiKey("audit:read", (request, ctx) =>
  auditEventsResponse(ctx.tenantId, request.nextUrl),
);
const call = (key?: string, query = "") =>
  route(
    new NextRequest(`http://localhost/api/v2/audit/events${query}`, {
      headers: key ? { "x-api-key": key } : {},
    }),
  );

describe("API keys", () => {
  it("verify their own tenant's chain through POST /api/v2/audit/verify, audited", async () => {
    const a = await ownerOfNewTenant();
    const b = await ownerOfNewTenant();
    const keyA = await createApiKey(a.ctx, {
      name: "compliance job",
      environment: "live",
      scopes: ["audit:read"],
    });
    const proxyOnly = await createApiKey(a.ctx, {
      name: "sender",
      environment: "live",
      scopes: ["proxy"],
    });
    const verify = (key: string) =>
      verifyRoute(
        new NextRequest("http://localhost/api/v2/audit/verify", {
          method: "POST",
          headers: { "x-api-key": key },
        }),
      );
    const res = await verify(keyA.key);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; checked: number; head_seq: number };
    expect(body).toMatchObject({ ok: true, first_broken: null });
    expect(body.checked).toBe(body.head_seq);
    const mine = await getDb()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.tenantId, a.tenant.id));
    expect(mine.filter((e) => e.action === "audit.verified")).toMatchObject([
      { actorLabel: keyA.prefix, outcome: "succeeded" },
    ]);
    const theirs = await getDb()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.tenantId, b.tenant.id));
    expect(theirs.some((e) => e.action === "audit.verified")).toBe(false);
    expect((await verify(proxyOnly.key)).status).toBe(403);
  });

  it("are shown once, stored only as a keyed hash, and work inside their tenant only", async () => {
    const a = await ownerOfNewTenant();
    const b = await ownerOfNewTenant();
    const keyA = await createApiKey(a.ctx, {
      name: "auditor bot",
      environment: "live",
      scopes: ["audit:read"],
    });
    expect(keyA.key).toMatch(/^qs_live_[0-9A-Za-z]{43}$/);
    const [row] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, keyA.id));
    expect(JSON.stringify(row)).not.toContain(keyA.key.slice(16));

    await getDb().transaction((tx) =>
      recordAudit(tx, systemActing(b.tenant.id), {
        action: "audit.verified",
        outcome: "succeeded",
      }),
    );
    const res = await call(keyA.key, "?limit=200");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { events: { tenant_id: string; action: string }[] };
    expect(body.events.length).toBeGreaterThan(0);
    expect(body.events.every((e) => e.tenant_id === a.tenant.id)).toBe(true);
    expect(body.events.map((e) => e.action)).toContain("api_key.created");
  });

  it("answers missing, unknown, tampered, revoked and expired keys with the same 401", async () => {
    const { ctx } = await ownerOfNewTenant();
    const good = await createApiKey(ctx, {
      name: "k",
      environment: "live",
      scopes: ["audit:read"],
    });
    const expiring = await createApiKey(ctx, {
      name: "e",
      environment: "test",
      scopes: ["audit:read"],
      expiresInDays: 1,
    });
    await getDb()
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, expiring.id));
    const revoked = await createApiKey(ctx, {
      name: "r",
      environment: "live",
      scopes: ["audit:read"],
    });
    await revokeApiKey(ctx, { keyId: revoked.id });
    const tampered = good.key.slice(0, -1) + (good.key.endsWith("A") ? "B" : "A");
    const bodies = new Set<string>();
    for (const key of [undefined, "qs_live_nope", tampered, revoked.key, expiring.key]) {
      const res = await call(key);
      expect(res.status).toBe(401);
      // One answer for all, but for the request's own id.
      const body = (await res.json()) as Record<string, unknown>;
      bodies.add(JSON.stringify({ ...body, request_id: null, instance: null }));
    }
    expect(bodies.size).toBe(1);
    expect(await authenticateApiKey(good.key)).not.toBeNull();
  });

  it("refuses a key without the scope with 403 insufficient_scope, and audits it", async () => {
    const { tenant, ctx } = await ownerOfNewTenant();
    const proxyOnly = await createApiKey(ctx, {
      name: "p",
      environment: "live",
      scopes: ["proxy"],
    });
    const res = await call(proxyOnly.key);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe("insufficient_scope");
    const denied = await getDb()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.tenantId, tenant.id));
    expect(denied.filter((e) => e.action === "api_key.denied")).toHaveLength(1);
  });

  it("validates filters with a clear 400", async () => {
    const { ctx } = await ownerOfNewTenant();
    const key = await createApiKey(ctx, { name: "k", environment: "live", scopes: ["audit:read"] });
    const res = await call(key.key, "?action=not.an.action&limit=5000");
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      code: string;
      fields: Record<string, string[]>;
    };
    expect(body.code).toBe("invalid_input");
    expect(Object.keys(body.fields).sort()).toEqual(["action", "limit"]);
  });
});
