import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditEvents, ssoDomainMappings } from "@/db/schema";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { AppError } from "@/lib/platform/errors/app-error";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { newId } from "@/lib/shared/ids";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { addMappingAction, removeMappingAction } from "./actions";
import { listMappings } from "./queries";
import { addMapping, changeMapping, removeMapping } from "./service";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
// Auth.js does not load outside Next.js; the sign-in button's action is not the subject here.
vi.mock("@/lib/platform/auth/auth", () => ({ signIn: () => Promise.resolve(undefined) }));
vi.mock("next-auth", () => ({ AuthError: class AuthError extends Error {} }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

beforeEach(() => {
  session.user = null;
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return "no error";
}

const freshDomain = (label: string) => `${label}-${newId("user").slice(-8).toLowerCase()}.test`;

/** Tenant A with an owner and an admin; tenant B with its own owner. */
async function world() {
  const a = await createTestTenant("A");
  const b = await createTestTenant("B");
  const owner = await createTestUser("owner");
  const admin = await createTestUser("admin");
  const ownerB = await createTestUser("ownerB");
  await addMember(a.id, owner.id, "owner");
  await addMember(a.id, admin.id, "admin");
  await addMember(b.id, ownerB.id, "owner");
  return { a, b, owner, admin, ownerB };
}

async function as(user: { id: string; email: string; name: string }, tenantId: string) {
  session.user = testSession(user);
  return resolveTenant(tenantId, "tenant:read");
}

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

async function mappingEvents(tenantId: string) {
  return getDb()
    .select({ details: auditEvents.details, actorId: auditEvents.actorId })
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, "sso.mapping_changed")))
    .orderBy(auditEvents.seq);
}

describe("single sign-on domain mappings", () => {
  it("lets an owner add, change and remove a mapping, each audited", async () => {
    const w = await world();
    const ctx = await as(w.owner, w.a.id);
    const domain = freshDomain("acme");
    const added = await addMapping(ctx, { domain, role: "operator", requireSso: true });
    expect(await listMappings({ tenantId: w.a.id })).toEqual([
      expect.objectContaining({ id: added.id, domain, role: "operator", requireSso: true }),
    ]);
    await changeMapping(ctx, { mappingId: added.id, role: "auditor", requireSso: false });
    // Unchanged values record nothing.
    await changeMapping(ctx, { mappingId: added.id, role: "auditor", requireSso: false });
    await removeMapping(ctx, { mappingId: added.id });
    expect(await listMappings({ tenantId: w.a.id })).toEqual([]);

    const events = await mappingEvents(w.a.id);
    expect(events.map((e) => e.details)).toEqual([
      { domain, role: "operator", require_sso: true, change: "added" },
      { domain, role: "auditor", require_sso: false, change: "changed" },
      { domain, role: "auditor", require_sso: false, change: "removed" },
    ]);
    expect(events.every((e) => e.actorId === w.owner.id)).toBe(true);
  });

  it("refuses an admin (owners:manage), in the service and in the actions", async () => {
    const w = await world();
    const domain = freshDomain("admin");
    const ownerCtx = await as(w.owner, w.a.id);
    const existing = await addMapping(ownerCtx, { domain, role: "operator", requireSso: true });

    const ctx = await as(w.admin, w.a.id);
    expect(
      await codeOf(addMapping(ctx, { domain: "x.test", role: "owner", requireSso: false })),
    ).toBe("forbidden");
    expect(
      await codeOf(
        changeMapping(ctx, { mappingId: existing.id, role: "owner", requireSso: false }),
      ),
    ).toBe("forbidden");
    expect(await codeOf(removeMapping(ctx, { mappingId: existing.id }))).toBe("forbidden");

    const state = await addMappingAction(
      {},
      form({ tenantId: w.a.id, domain: freshDomain("via-form"), role: "owner" }),
    );
    expect(state.ok).toBeUndefined();
    expect(state.message).toMatch(/Your role does not allow/);
    const removed = await removeMappingAction(
      {},
      form({ tenantId: w.a.id, mappingId: existing.id }),
    );
    expect(removed.ok).toBeUndefined();
    expect(await listMappings({ tenantId: w.a.id })).toEqual([
      expect.objectContaining({ id: existing.id, role: "operator", requireSso: true }),
    ]);
    expect(await mappingEvents(w.a.id)).toHaveLength(1);
  });

  it("adds through the action with field errors for a bad domain", async () => {
    const w = await world();
    session.user = testSession(w.owner);
    const domain = freshDomain("form");
    const ok = await addMappingAction(
      {},
      form({
        tenantId: w.a.id,
        domain: ` ${domain.toUpperCase()} `,
        role: "admin",
        requireSso: "on",
      }),
    );
    expect(ok).toMatchObject({ ok: true });
    expect(await listMappings({ tenantId: w.a.id })).toEqual([
      expect.objectContaining({ domain, role: "admin", requireSso: true }),
    ]);
    const bad = await addMappingAction(
      {},
      form({ tenantId: w.a.id, domain: "*.example.com", role: "admin" }),
    );
    expect(bad.errors?.domain?.[0]).toMatch(/Wildcards/);
    const twice = await addMappingAction({}, form({ tenantId: w.a.id, domain, role: "auditor" }));
    expect(twice.errors?.domain?.[0]).toMatch(/already mapped/);
  });

  it("lets several tenants map the same domain, and never reaches another tenant's mapping", async () => {
    const w = await world();
    const domain = freshDomain("shared");
    const ctxA = await as(w.owner, w.a.id);
    const mine = await addMapping(ctxA, { domain, role: "operator", requireSso: true });
    const ctxB = await as(w.ownerB, w.b.id);
    const theirs = await addMapping(ctxB, { domain, role: "auditor", requireSso: false });
    expect(await codeOf(addMapping(ctxB, { domain, role: "admin", requireSso: false }))).toBe(
      "conflict",
    );

    expect(
      await codeOf(changeMapping(ctxB, { mappingId: mine.id, role: "owner", requireSso: false })),
    ).toBe("not_found");
    expect(await codeOf(removeMapping(ctxB, { mappingId: mine.id }))).toBe("not_found");
    expect(await codeOf(removeMapping(ctxB, { mappingId: "sso_nope" }))).toBe("not_found");
    const rows = await getDb()
      .select({ id: ssoDomainMappings.id, role: ssoDomainMappings.role })
      .from(ssoDomainMappings)
      .where(eq(ssoDomainMappings.domain, domain));
    expect(rows.sort((x, y) => x.role.localeCompare(y.role))).toEqual([
      { id: theirs.id, role: "auditor" },
      { id: mine.id, role: "operator" },
    ]);
  });
});
