import { and, eq, isNull } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditEvents, passwordResets, users, userSessions } from "@/db/schema";
import { createSession, type SessionUser } from "@/lib/platform/auth/sessions";
import {
  lockedUntil,
  MAX_FAILURES,
  recordFailure,
  throttleKey,
} from "@/lib/platform/auth/sign-in-throttle";
import { AppError } from "@/lib/platform/errors/app-error";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { memberAccountHelp } from "./queries";
import { endMemberSessions, issueMemberResetLink, unlockMember } from "./service";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return "no error";
}

async function world() {
  const a = await createTestTenant("Tenant A");
  const b = await createTestTenant("Tenant B");
  const owner = await createTestUser("owner");
  const admin = await createTestUser("admin");
  const operator = await createTestUser("operator");
  const other = await createTestUser("other");
  const m = {
    owner: await addMember(a.id, owner.id, "owner"),
    admin: await addMember(a.id, admin.id, "admin"),
    operator: await addMember(a.id, operator.id, "operator"),
    other: await addMember(b.id, other.id, "operator"),
  };
  return { a, b, owner, admin, operator, other, m };
}

async function as(user: { id: string; email: string; name: string }, tenantId: string) {
  session.user = testSession(user);
  return resolveTenant(tenantId, "members:write");
}

async function lock(email: string) {
  for (let i = 0; i < MAX_FAILURES; i++) await recordFailure(getDb(), throttleKey(email));
}

const openSessions = async (userId: string) =>
  getDb()
    .select({ id: userSessions.id })
    .from(userSessions)
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.revokedAt)));

beforeEach(() => {
  session.user = null;
});

describe("unlock a member", () => {
  it("clears the lockout, shown as locked until then, and is audited", async () => {
    const w = await world();
    await lock(w.operator.email);
    const ctx = await as(w.admin, w.a.id);
    expect((await memberAccountHelp(ctx)).get(w.operator.id)).toEqual({
      locked: true,
      unlock: true,
      endSessions: true,
      resetLink: true,
    });
    await unlockMember(ctx, { membershipId: w.m.operator });
    expect(await lockedUntil(getDb(), throttleKey(w.operator.email))).toBeNull();
    expect((await memberAccountHelp(ctx)).get(w.operator.id)).toMatchObject({
      locked: false,
      unlock: false,
    });
    expect(await codeOf(unlockMember(ctx, { membershipId: w.m.operator }))).toBe("conflict");
    const events = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, w.a.id), eq(auditEvents.action, "auth.unlocked")));
    expect(events).toHaveLength(1);
  });

  it("lets only owners unlock owners, and no one another tenant's member", async () => {
    const w = await world();
    await lock(w.owner.email);
    await lock(w.other.email);
    const ctx = await as(w.admin, w.a.id);
    expect(await codeOf(unlockMember(ctx, { membershipId: w.m.owner }))).toBe("forbidden");
    expect(await codeOf(unlockMember(ctx, { membershipId: w.m.other }))).toBe("not_found");
    expect(await lockedUntil(getDb(), throttleKey(w.owner.email))).not.toBeNull();
    expect(await lockedUntil(getDb(), throttleKey(w.other.email))).not.toBeNull();
  });
});

describe("end a member's sessions", () => {
  it("signs the member out everywhere, owners only for owners", async () => {
    const w = await world();
    await createSession(getDb(), w.operator.id, { method: "password" });
    await createSession(getDb(), w.operator.id, { method: "password" });
    await createSession(getDb(), w.owner.id, { method: "password" });
    const admin = await as(w.admin, w.a.id);
    expect(await codeOf(endMemberSessions(admin, { membershipId: w.m.owner }))).toBe("forbidden");
    expect(await openSessions(w.owner.id)).toHaveLength(1);
    expect(await endMemberSessions(admin, { membershipId: w.m.operator })).toBe(2);
    expect(await openSessions(w.operator.id)).toHaveLength(0);
    expect(await codeOf(endMemberSessions(admin, { membershipId: w.m.admin }))).toBe(
      "invalid_input",
    );
    const [event] = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, w.a.id), eq(auditEvents.action, "auth.session_revoked")));
    expect(event?.details).toMatchObject({ user_id: w.operator.id, by: "owner", count: 2 });
  });
});

describe("issue a reset link", () => {
  it("gives a one-time link, audited without the token", async () => {
    const w = await world();
    const ctx = await as(w.admin, w.a.id);
    const { token } = await issueMemberResetLink(ctx, { membershipId: w.m.operator });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [reset] = await getDb()
      .select()
      .from(passwordResets)
      .where(eq(passwordResets.userId, w.operator.id));
    expect(reset?.issuedBy).toBe(w.admin.id);
    expect(reset?.tokenHash).not.toContain(token);
    const events = await getDb().select().from(auditEvents).where(eq(auditEvents.tenantId, w.a.id));
    const issued = events.find((e) => e.action === "auth.password_reset_requested");
    expect(issued?.details).toMatchObject({ user_id: w.operator.id, issued_by_role: "admin" });
    expect(JSON.stringify(events)).not.toContain(token);
  });

  it("is refused for owners (unless an owner asks), oneself, SSO-only members", async () => {
    const w = await world();
    const admin = await as(w.admin, w.a.id);
    expect(await codeOf(issueMemberResetLink(admin, { membershipId: w.m.owner }))).toBe(
      "forbidden",
    );
    expect(await codeOf(issueMemberResetLink(admin, { membershipId: w.m.admin }))).toBe(
      "invalid_input",
    );
    await getDb().update(users).set({ passwordHash: null }).where(eq(users.id, w.operator.id));
    expect(await codeOf(issueMemberResetLink(admin, { membershipId: w.m.operator }))).toBe(
      "invalid_input",
    );
    const owner = await as(w.owner, w.a.id);
    expect(await codeOf(issueMemberResetLink(owner, { membershipId: w.m.admin }))).toBe("no error");
    const operator = testSession(w.operator);
    session.user = operator;
    expect(await codeOf(resolveTenant(w.a.id, "members:write"))).toBe("forbidden");
  });
});

describe("a member who also belongs to other tenants (H3)", () => {
  // The account is shared across tenants: a reset link, unlock or sign-out reaches all of them.
  // So one tenant's owner helps only if they also own every other tenant of the member.
  it("is refused to the owner of one tenant when the member owns another", async () => {
    const attacker = await createTestUser("attacker");
    const victim = await createTestUser("victim");
    const v = await createTestTenant("Victim's tenant");
    const a = await createTestTenant("Attacker's tenant");
    await addMember(v.id, victim.id, "owner");
    await addMember(a.id, attacker.id, "owner");
    const victimInA = await addMember(a.id, victim.id, "operator");
    await lock(victim.email);
    await createSession(getDb(), victim.id, { method: "password" });
    const ctx = await as(attacker, a.id);

    for (const action of [issueMemberResetLink, unlockMember, endMemberSessions]) {
      const refused = await action(ctx, { membershipId: victimInA }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(AppError);
      const { code, message, options } = refused as AppError;
      expect(code).toBe("forbidden");
      expect(message).toMatch(/other organisations/);
      expect(options.remediation).toMatch(/Forgot your password\?/);
    }
    const resets = await getDb()
      .select()
      .from(passwordResets)
      .where(eq(passwordResets.userId, victim.id));
    expect(resets).toHaveLength(0);
    expect(await lockedUntil(getDb(), throttleKey(victim.email))).not.toBeNull();
    expect(await openSessions(victim.id)).toHaveLength(1);
  });

  it("is refused when the caller is only an admin of the member's other tenant", async () => {
    const w = await world();
    await addMember(w.b.id, w.owner.id, "admin");
    const operatorInB = await addMember(w.b.id, w.operator.id, "operator");
    expect(operatorInB).toBeTruthy();
    const ctx = await as(w.owner, w.a.id);
    expect(await codeOf(issueMemberResetLink(ctx, { membershipId: w.m.operator }))).toBe(
      "forbidden",
    );
  });

  it("is allowed for a member only of this tenant, or when the caller owns the others", async () => {
    const w = await world();
    const owner = await as(w.owner, w.a.id);
    // Only in A.
    expect(await codeOf(issueMemberResetLink(owner, { membershipId: w.m.operator }))).toBe(
      "no error",
    );
    // In A and B, and the caller owns B as well.
    await addMember(w.b.id, w.owner.id, "owner");
    await addMember(w.b.id, w.operator.id, "admin");
    await lock(w.operator.email);
    await createSession(getDb(), w.operator.id, { method: "password" });
    expect(await codeOf(issueMemberResetLink(owner, { membershipId: w.m.operator }))).toBe(
      "no error",
    );
    expect(await codeOf(unlockMember(owner, { membershipId: w.m.operator }))).toBe("no error");
    expect(await endMemberSessions(owner, { membershipId: w.m.operator })).toBe(1);
    // Within A the roles still count: an admin of A who owns B cannot help A's owner.
    await addMember(w.b.id, w.admin.id, "owner");
    const admin = await as(w.admin, w.a.id);
    expect(await codeOf(issueMemberResetLink(admin, { membershipId: w.m.owner }))).toBe(
      "forbidden",
    );
  });
});

describe("the members page offers only the help the service gives", () => {
  const offered = async (
    viewer: { id: string; email: string; name: string },
    tenantId: string,
    userId: string,
  ) => (await memberAccountHelp(await as(viewer, tenantId))).get(userId);
  const NOTHING = { unlock: false, endSessions: false, resetLink: false };

  it("offers nothing for oneself, for an owner to an admin, or for another tenant's member", async () => {
    const w = await world();
    await lock(w.owner.email);
    await lock(w.admin.email);
    expect(await offered(w.admin, w.a.id, w.admin.id)).toMatchObject({ locked: true, ...NOTHING });
    expect(await offered(w.admin, w.a.id, w.owner.id)).toMatchObject({ locked: true, ...NOTHING });
    expect(await offered(w.owner, w.a.id, w.admin.id)).toEqual({
      locked: true,
      unlock: true,
      endSessions: true,
      resetLink: true,
    });
    expect(await offered(w.owner, w.a.id, w.other.id)).toBeUndefined();
    expect(await codeOf(unlockMember(await as(w.admin, w.a.id), { membershipId: w.m.owner }))).toBe(
      "forbidden",
    );
  });

  it("offers nothing for a member of a tenant the viewer does not own, as the service refuses", async () => {
    const w = await world();
    await addMember(w.b.id, w.operator.id, "operator");
    expect(await offered(w.owner, w.a.id, w.operator.id)).toMatchObject(NOTHING);
    const owner = await as(w.owner, w.a.id);
    expect(await codeOf(endMemberSessions(owner, { membershipId: w.m.operator }))).toBe(
      "forbidden",
    );
    // Once the viewer owns that tenant too, both agree again.
    await addMember(w.b.id, w.owner.id, "owner");
    expect(await offered(w.owner, w.a.id, w.operator.id)).toMatchObject({
      unlock: false,
      endSessions: true,
      resetLink: true,
    });
    expect(await endMemberSessions(owner, { membershipId: w.m.operator })).toBe(0);
  });

  it("offers no reset link to a member without a password (single sign-on)", async () => {
    const w = await world();
    await getDb().update(users).set({ passwordHash: null }).where(eq(users.id, w.operator.id));
    expect(await offered(w.owner, w.a.id, w.operator.id)).toMatchObject({
      endSessions: true,
      resetLink: false,
    });
    expect(
      await codeOf(issueMemberResetLink(await as(w.owner, w.a.id), { membershipId: w.m.operator })),
    ).toBe("invalid_input");
  });
});
