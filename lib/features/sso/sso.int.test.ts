import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditEvents, ssoDomainMappings, users, type Role } from "@/db/schema";
import { createSession, revokeSession, type SessionUser } from "@/lib/platform/auth/sessions";
import type * as EnvModule from "@/lib/platform/config/env";
import { AppError } from "@/lib/platform/errors/app-error";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { newId } from "@/lib/shared/ids";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { addMappingAction, removeMappingAction, signInWithSsoAction } from "./actions";
import { listMappings } from "./queries";
import { addMapping, changeMapping, removeMapping } from "./service";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
// Auth.js does not load outside Next.js: its signIn is recorded (the sign-in button's action).
const signIns = vi.hoisted(() => ({ calls: [] as unknown[][] }));
vi.mock("@/lib/platform/auth/auth", () => ({
  signIn: (...args: unknown[]) => {
    signIns.calls.push(args);
    return Promise.resolve(undefined);
  },
}));
vi.mock("next-auth", () => ({ AuthError: class AuthError extends Error {} }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const ISSUER = "https://idp.example.test";
vi.mock("@/lib/platform/config/env", async (importOriginal) => {
  const real = await importOriginal<typeof EnvModule>();
  return {
    ...real,
    env: () => ({
      ...real.env(),
      OIDC_ISSUER: "https://idp.example.test",
      OIDC_CLIENT_ID: "pqseal",
      OIDC_CLIENT_SECRET: "client-secret-value",
    }),
  };
});

beforeEach(() => {
  session.user = null;
  signIns.calls = [];
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

type Person = { id: string; email: string; name: string };

/** A member whose e-mail is in `domain`, with the given role in the tenant. */
async function memberOf(tenantId: string, domain: string, role: Role = "owner"): Promise<Person> {
  const id = newId("user");
  const person = { id, email: `${role}-${id.slice(-8).toLowerCase()}@${domain}`, name: role };
  await getDb()
    .insert(users)
    .values({ ...person, passwordHash: null });
  await addMember(tenantId, id, role);
  return person;
}

/** Signed in as `user` through a real session row opened by `method` (sso: at `issuer`). */
async function signedIn(
  user: Person,
  method: "sso" | "password" | "passkey" = "sso",
  issuer: string = ISSUER,
) {
  const sessionId = await createSession(getDb(), user.id, {
    method,
    ...(method === "sso" ? { ssoIssuer: issuer } : {}),
  });
  session.user = testSession(user, sessionId, { method });
  return sessionId;
}

/** The tenant context of `user` in `tenantId`, signed in through single sign-on. */
async function asSso(user: Person, tenantId: string) {
  await signedIn(user);
  return resolveTenant(tenantId, "tenant:read");
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return "no error";
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
    const domain = freshDomain("acme");
    const owner = await memberOf(w.a.id, domain);
    const ctx = await asSso(owner, w.a.id);
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
    expect(events.every((e) => e.actorId === owner.id)).toBe(true);
  });

  it("refuses an admin (owners:manage), in the service and in the actions", async () => {
    const w = await world();
    const domain = freshDomain("admin");
    const ownerCtx = await asSso(await memberOf(w.a.id, domain), w.a.id);
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
    const domain = freshDomain("form");
    await signedIn(await memberOf(w.a.id, domain));
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
    const ctxA = await asSso(await memberOf(w.a.id, domain), w.a.id);
    const mine = await addMapping(ctxA, { domain, role: "operator", requireSso: true });
    const ctxB = await asSso(await memberOf(w.b.id, domain), w.b.id);
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

describe("who may map a domain", () => {
  const refused = (domain: string) =>
    `forbidden: Sign in with single sign-on as someone @${domain} to map it.`;

  it("refuses an owner whose session was not opened through single sign-on", async () => {
    const w = await world();
    const domain = freshDomain("victim");
    // Even with an address in the domain: a password (or passkey) proves nothing about it.
    const owner = await memberOf(w.a.id, domain);
    for (const method of ["password", "passkey"] as const) {
      await signedIn(owner, method);
      const ctx = await resolveTenant(w.a.id, "tenant:read");
      expect(await refusal(addMapping(ctx, { domain, role: "operator", requireSso: false }))).toBe(
        refused(domain),
      );
    }
    // The test factories' session id names no session at all.
    expect(
      await refusal(
        addMapping(await as(w.owner, w.a.id), {
          domain: "example.test",
          role: "operator",
          requireSso: false,
        }),
      ),
    ).toBe(refused("example.test"));
    expect(await listMappings({ tenantId: w.a.id })).toEqual([]);
    expect(await mappingEvents(w.a.id)).toHaveLength(0);
  });

  it("refuses an owner who signed in through single sign-on as someone of another domain", async () => {
    const w = await world();
    const mine = freshDomain("mine");
    const victim = freshDomain("victim");
    const owner = await memberOf(w.a.id, mine);
    const ctx = await asSso(owner, w.a.id);
    expect(
      await refusal(addMapping(ctx, { domain: victim, role: "owner", requireSso: true })),
    ).toBe(refused(victim));
    // A parent or a sub-domain of the proved one is another domain.
    expect(
      await refusal(addMapping(ctx, { domain: `sub.${mine}`, role: "owner", requireSso: false })),
    ).toBe(refused(`sub.${mine}`));

    // Through the form: the reason beside the field, once (the form's message does not repeat it).
    const state = await addMappingAction(
      {},
      form({ tenantId: w.a.id, domain: victim, role: "operator" }),
    );
    expect(state.ok).toBeUndefined();
    expect(state.message).toBe("Please correct the highlighted fields.");
    expect(state.errors?.domain).toEqual([
      `Sign in with single sign-on as someone @${victim} to map it.`,
    ]);
    expect(await listMappings({ tenantId: w.a.id })).toEqual([]);
  });

  it("refuses a session of another issuer, or one that has ended", async () => {
    const w = await world();
    const domain = freshDomain("issuer");
    const owner = await memberOf(w.a.id, domain);
    await signedIn(owner, "sso", "https://old-idp.example.test");
    const other = await resolveTenant(w.a.id, "tenant:read");
    expect(await refusal(addMapping(other, { domain, role: "operator", requireSso: false }))).toBe(
      refused(domain),
    );

    const sessionId = await signedIn(owner);
    const ctx = await resolveTenant(w.a.id, "tenant:read");
    await revokeSession(getDb(), sessionId);
    expect(await refusal(addMapping(ctx, { domain, role: "operator", requireSso: false }))).toBe(
      refused(domain),
    );
  });

  it("asks the same proof to turn on require_sso; other changes and removal need none", async () => {
    const w = await world();
    const domain = freshDomain("change");
    const owner = await memberOf(w.a.id, domain);
    const proved = await asSso(owner, w.a.id);
    const mapping = await addMapping(proved, { domain, role: "operator", requireSso: false });

    // Another owner, signed in with a password, manages the mapping the first one proved.
    const other = await memberOf(w.a.id, freshDomain("other"));
    await signedIn(other, "password");
    const ctx = await resolveTenant(w.a.id, "tenant:read");
    expect(
      await refusal(
        changeMapping(ctx, { mappingId: mapping.id, role: "operator", requireSso: true }),
      ),
    ).toBe(refused(domain));
    await changeMapping(ctx, { mappingId: mapping.id, role: "auditor", requireSso: false });

    await changeMapping(proved, { mappingId: mapping.id, role: "auditor", requireSso: true });
    // Turning it off again, or keeping it on while changing the role, proves nothing new.
    await changeMapping(ctx, { mappingId: mapping.id, role: "admin", requireSso: true });
    await changeMapping(ctx, { mappingId: mapping.id, role: "admin", requireSso: false });
    await removeMapping(ctx, { mappingId: mapping.id });
    expect((await mappingEvents(w.a.id)).map((e) => e.details)).toEqual([
      { domain, role: "operator", require_sso: false, change: "added" },
      { domain, role: "auditor", require_sso: false, change: "changed" },
      { domain, role: "auditor", require_sso: true, change: "changed" },
      { domain, role: "admin", require_sso: true, change: "changed" },
      { domain, role: "admin", require_sso: false, change: "changed" },
      { domain, role: "admin", require_sso: false, change: "removed" },
    ]);
  });
});

describe("signInWithSsoAction", () => {
  it("comes back through the second step, which asks for the member's second factor", async () => {
    const state = await signInWithSsoAction({}, form({ callbackUrl: "/t/ten_x/settings?a=1" }));
    expect(state).toEqual({});
    expect(signIns.calls).toEqual([
      ["oidc", { redirectTo: "/sign-in/verify?callbackUrl=%2Ft%2Ften_x%2Fsettings%3Fa%3D1" }],
    ]);
    // Only a same-origin path is carried.
    await signInWithSsoAction({}, form({ callbackUrl: "https://evil.example/" }));
    expect(signIns.calls[1]).toEqual(["oidc", { redirectTo: "/sign-in/verify?callbackUrl=%2F" }]);
  });
});
