import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { invites, memberships, users } from "@/db/schema";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { AppError } from "@/lib/platform/errors/app-error";
import { NO_REQUEST } from "@/lib/platform/http/request-meta";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import {
  acceptInviteAsUser,
  acceptInviteWithSignUp,
  createInvite,
  findUsableInvite,
  revokeInvite,
} from "./invites";
import { listPendingInvites } from "./queries";
import { changeRole, removeMember } from "./service";
import { listMembers } from "./queries";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

function signInAs(user: { id: string; email: string; name: string }) {
  session.user = testSession(user, "ses_test");
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return "no error";
}

async function roleOf(membershipId: string) {
  const [row] = await getDb().select().from(memberships).where(eq(memberships.id, membershipId));
  return row?.role ?? null;
}

/** Tenant A with one member of each role, and an unrelated tenant B with its own owner. */
async function world() {
  const a = await createTestTenant("Tenant A");
  const b = await createTestTenant("Tenant B");
  const owner = await createTestUser("owner");
  const admin = await createTestUser("admin");
  const operator = await createTestUser("operator");
  const auditor = await createTestUser("auditor");
  const ownerB = await createTestUser("ownerB");
  const m = {
    owner: await addMember(a.id, owner.id, "owner"),
    admin: await addMember(a.id, admin.id, "admin"),
    operator: await addMember(a.id, operator.id, "operator"),
    auditor: await addMember(a.id, auditor.id, "auditor"),
    ownerB: await addMember(b.id, ownerB.id, "owner"),
  };
  return { a, b, owner, admin, operator, auditor, ownerB, m };
}

beforeEach(() => {
  session.user = null;
});

describe("resolveTenant (the chokepoint)", () => {
  it("resolves the caller's role in a tenant they belong to", async () => {
    const w = await world();
    signInAs(w.operator);
    const ctx = await resolveTenant(w.a.id, "tenant:read");
    expect(ctx).toMatchObject({ tenantId: w.a.id, role: "operator", userId: w.operator.id });
  });

  it("answers not found for another tenant, so tenant ids cannot be probed", async () => {
    const w = await world();
    signInAs(w.owner);
    expect(await codeOf(resolveTenant(w.b.id, "tenant:read"))).toBe("not_found");
    expect(await codeOf(resolveTenant("ten_doesnotexist", "tenant:read"))).toBe("not_found");
  });

  it("refuses what the role may not do", async () => {
    const w = await world();
    signInAs(w.operator);
    expect(await codeOf(resolveTenant(w.a.id, "members:write"))).toBe("forbidden");
    signInAs(w.auditor);
    expect(await codeOf(resolveTenant(w.a.id, "console:use"))).toBe("forbidden");
    expect(await codeOf(resolveTenant(w.a.id, "audit:read"))).toBe("no error");
  });

  it("refuses callers without a session", async () => {
    const w = await world();
    expect(await codeOf(resolveTenant(w.a.id, "tenant:read"))).toBe("unauthenticated");
  });
});

describe("member management", () => {
  it("lets an admin change an operator's role, scoped to the tenant", async () => {
    const w = await world();
    signInAs(w.admin);
    const ctx = await resolveTenant(w.a.id, "members:write");
    await changeRole(ctx, { membershipId: w.m.operator, role: "auditor" });
    expect(await roleOf(w.m.operator)).toBe("auditor");
    expect((await listMembers({ tenantId: w.a.id })).map((m) => m.userId)).not.toContain(
      w.ownerB.id,
    );
  });

  it("lets only an owner grant, change or remove the owner role", async () => {
    const w = await world();
    signInAs(w.admin);
    const ctx = await resolveTenant(w.a.id, "members:write");
    expect(await codeOf(changeRole(ctx, { membershipId: w.m.operator, role: "owner" }))).toBe(
      "forbidden",
    );
    expect(await codeOf(changeRole(ctx, { membershipId: w.m.owner, role: "admin" }))).toBe(
      "forbidden",
    );
    expect(await codeOf(removeMember(ctx, { membershipId: w.m.owner }))).toBe("forbidden");
    expect(await codeOf(createInvite(ctx, { role: "owner" }))).toBe("forbidden");
    expect([await roleOf(w.m.operator), await roleOf(w.m.owner)]).toEqual(["operator", "owner"]);

    signInAs(w.owner);
    const ownerCtx = await resolveTenant(w.a.id, "members:write");
    await changeRole(ownerCtx, { membershipId: w.m.admin, role: "owner" });
    expect(await roleOf(w.m.admin)).toBe("owner");
  });

  it("keeps at least one owner", async () => {
    const w = await world();
    signInAs(w.owner);
    const ctx = await resolveTenant(w.a.id, "members:write");
    expect(await codeOf(changeRole(ctx, { membershipId: w.m.owner, role: "admin" }))).toBe(
      "last_owner",
    );
    expect(await codeOf(removeMember(ctx, { membershipId: w.m.owner }))).toBe("last_owner");
    expect(await roleOf(w.m.owner)).toBe("owner");
    await changeRole(ctx, { membershipId: w.m.admin, role: "owner" });
    await changeRole(ctx, { membershipId: w.m.owner, role: "admin" });
    expect(await roleOf(w.m.owner)).toBe("admin");
  });

  it("cannot reach another tenant's members by id", async () => {
    const w = await world();
    signInAs(w.owner);
    const ctx = await resolveTenant(w.a.id, "members:write");
    expect(await codeOf(removeMember(ctx, { membershipId: w.m.ownerB }))).toBe("not_found");
    expect(await codeOf(changeRole(ctx, { membershipId: w.m.ownerB, role: "auditor" }))).toBe(
      "not_found",
    );
    expect(await roleOf(w.m.ownerB)).toBe("owner");
  });

  it("removes a member, who then cannot open the tenant", async () => {
    const w = await world();
    signInAs(w.admin);
    await removeMember(await resolveTenant(w.a.id, "members:write"), {
      membershipId: w.m.operator,
    });
    signInAs(w.operator);
    expect(await codeOf(resolveTenant(w.a.id, "tenant:read"))).toBe("not_found");
  });
});

describe("invites", () => {
  it("are single use and grant the invited role in the inviting tenant only", async () => {
    const w = await world();
    signInAs(w.admin);
    const ctx = await resolveTenant(w.a.id, "members:write");
    const invite = await createInvite(ctx, { role: "auditor" });
    const stored = await getDb().select().from(invites).where(eq(invites.id, invite.id));
    expect(JSON.stringify(stored)).not.toContain(invite.token);

    const joiner = await createTestUser("joiner");
    await acceptInviteAsUser(invite.token, joiner, NO_REQUEST);
    signInAs(joiner);
    expect((await resolveTenant(w.a.id, "tenant:read")).role).toBe("auditor");
    expect(await codeOf(resolveTenant(w.b.id, "tenant:read"))).toBe("not_found");

    const other = await createTestUser("latecomer");
    expect(await codeOf(acceptInviteAsUser(invite.token, other, NO_REQUEST))).toBe(
      "invite_invalid",
    );
    expect(await findUsableInvite(invite.token)).toBeNull();
  });

  it("can be revoked, and revoked or expired links do nothing", async () => {
    const w = await world();
    signInAs(w.owner);
    const ctx = await resolveTenant(w.a.id, "members:write");
    const revoked = await createInvite(ctx, { role: "operator" });
    await revokeInvite(ctx, { inviteId: revoked.id });
    const expired = await createInvite(ctx, { role: "operator" });
    await getDb()
      .update(invites)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(and(eq(invites.tenantId, w.a.id), eq(invites.id, expired.id)));
    const joiner = await createTestUser("joiner2");
    expect(await codeOf(acceptInviteAsUser(revoked.token, joiner, NO_REQUEST))).toBe(
      "invite_invalid",
    );
    expect(await codeOf(acceptInviteAsUser(expired.token, joiner, NO_REQUEST))).toBe(
      "invite_invalid",
    );
    expect(await listPendingInvites({ tenantId: w.a.id })).toEqual([]);
  });

  it("cannot be revoked from another tenant", async () => {
    const w = await world();
    signInAs(w.ownerB);
    const invite = await createInvite(await resolveTenant(w.b.id, "members:write"), {
      role: "operator",
    });
    signInAs(w.owner);
    const ctxA = await resolveTenant(w.a.id, "members:write");
    expect(await codeOf(revokeInvite(ctxA, { inviteId: invite.id }))).toBe("invite_invalid");
    expect(await findUsableInvite(invite.token)).not.toBeNull();
  });

  it("sign-up with an e-mail that exists leaves nothing half-written", async () => {
    const w = await world();
    signInAs(w.owner);
    const invite = await createInvite(await resolveTenant(w.a.id, "members:write"), {
      role: "operator",
    });
    const code = await codeOf(
      acceptInviteWithSignUp(
        {
          token: invite.token,
          name: "Dup",
          email: w.auditor.email,
          password: "long enough pw",
        },
        NO_REQUEST,
      ),
    );
    expect(code).toBe("conflict");
    expect(await findUsableInvite(invite.token)).not.toBeNull();

    const email = `new-${invite.id.slice(-8).toLowerCase()}@example.test`;
    await acceptInviteWithSignUp(
      {
        token: invite.token,
        name: "New",
        email,
        password: "long enough pw",
      },
      NO_REQUEST,
    );
    const [created] = await getDb().select().from(users).where(eq(users.email, email));
    expect(created).toBeDefined();
    expect(await findUsableInvite(invite.token)).toBeNull();
  });

  it("refuses a second use when the invite is accepted twice at once", async () => {
    const w = await world();
    signInAs(w.owner);
    const invite = await createInvite(await resolveTenant(w.a.id, "members:write"), {
      role: "operator",
    });
    const [u1, u2] = [await createTestUser("race1"), await createTestUser("race2")];
    const results = await Promise.allSettled([
      acceptInviteAsUser(invite.token, u1, NO_REQUEST),
      acceptInviteAsUser(invite.token, u2, NO_REQUEST),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });
});
