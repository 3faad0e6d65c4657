import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { memberships } from "@/db/schema";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { AppError } from "@/lib/platform/errors/app-error";
import { NO_REQUEST } from "@/lib/platform/http/request-meta";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { createTenantAction } from "./actions";
import { mayCreateTenant, tenantCreationRefusal } from "./creation-policy";
import { tenantToReturnTo } from "./return-to";
import { createTenant } from "./service";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
// Auth.js does not load outside Next.js (the actions module imports the setup's sign-in).
vi.mock("@/lib/platform/auth/auth", () => ({
  signIn: () => Promise.resolve(undefined),
  auth: () => Promise.resolve(null),
}));

/** A user who is a member of a fresh tenant with `role`, or of none. */
async function userWith(role: "owner" | "operator" | null) {
  const user = await createTestUser(role ?? "nobody");
  if (role) await addMember((await createTestTenant()).id, user.id, role);
  return { ...user, userId: user.id };
}

const ownedTenants = async (userId: string) =>
  (await getDb().select().from(memberships).where(eq(memberships.userId, userId))).filter(
    (m) => m.role === "owner",
  ).length;

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

describe("who may create a tenant (TENANT_CREATION)", () => {
  it("by default lets an owner create another tenant and owns it", async () => {
    const owner = await userWith("owner");
    expect(await mayCreateTenant(owner.id)).toBe(true);
    const { tenantId } = await createTenant(owner, { tenantName: "Second" }, NO_REQUEST);
    expect(tenantId).toMatch(/^ten_/);
    expect(await ownedTenants(owner.id)).toBe(2);
  });

  it("by default refuses someone who owns no tenant, with 403 tenant_creation_not_allowed", async () => {
    for (const role of ["operator", null] as const) {
      const user = await userWith(role);
      expect(await mayCreateTenant(user.id)).toBe(false);
      const refused = await createTenant(user, { tenantName: "Mine" }, NO_REQUEST).catch(
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(AppError);
      expect(refused).toMatchObject({ code: "tenant_creation_not_allowed", status: 403 });
      expect(await ownedTenants(user.id)).toBe(0);
    }
  });

  it("with everyone, lets any signed-in user create one", async () => {
    const operator = await userWith("operator");
    expect(await tenantCreationRefusal(operator.id, "everyone")).toBeNull();
    await createTenant(operator, { tenantName: "Own" }, NO_REQUEST, "everyone");
    expect(await ownedTenants(operator.id)).toBe(1);
  });

  it("with nobody, refuses even an owner", async () => {
    const owner = await userWith("owner");
    expect(await mayCreateTenant(owner.id, "nobody")).toBe(false);
    await expect(
      createTenant(owner, { tenantName: "Another" }, NO_REQUEST, "nobody"),
    ).rejects.toMatchObject({ code: "tenant_creation_not_allowed" });
    expect(await ownedTenants(owner.id)).toBe(1);
  });

  it("the form says why and what to do, keeps the name, and creates nothing", async () => {
    const operator = await userWith("operator");
    session.user = testSession(operator);
    const state = await createTenantAction({}, form({ tenantName: "Side project" }));
    expect(state.message).toBe(
      "Only people who own a tenant can create one. Ask an owner in your organisation to create it, or to invite you to theirs.",
    );
    expect(state.values).toEqual({ tenantName: "Side project" });
    expect(await ownedTenants(operator.id)).toBe(0);
  });
});

describe("the way back from a page outside any tenant", () => {
  it("goes to the tenant it came from only if the user is a member of it", async () => {
    const user = await userWith("operator");
    const mine = await createTestTenant("Zeta mine");
    await addMember(mine.id, user.id, "auditor");
    const theirs = await createTestTenant("Not yours");
    expect(await tenantToReturnTo(user.id, mine.id)).toEqual({ id: mine.id, name: "Zeta mine" });
    // Another tenant's id names nothing: back to the user's first tenant (by name).
    expect(await tenantToReturnTo(user.id, theirs.id)).toMatchObject({ name: "Test tenant" });
    expect(await tenantToReturnTo((await userWith(null)).id, mine.id)).toBeNull();
  });
});
