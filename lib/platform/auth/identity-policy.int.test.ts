import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type * as navigation from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db";
import { NextRequest } from "next/server";
import * as memberRoute from "@/app/api/tenants/[tenantId]/members/[membershipId]/route";
import { auditEvents, memberships, passkeys, tenants, userSessions } from "@/db/schema";
import { updateMfaPolicyAction } from "@/lib/features/settings/actions";
import { authenticate } from "@/lib/platform/auth/authenticate";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { validateSession } from "@/lib/platform/auth/sessions";
import { NO_REQUEST } from "@/lib/platform/http/request-meta";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { tenantAction } from "@/lib/platform/request-context/tenant-action";
import { newId } from "@/lib/shared/ids";
import {
  addMember,
  createTestTenant,
  createTestUser,
  TEST_PASSWORD,
  testSession,
} from "@/test/factories";

// The identity rules the chokepoint enforces (#18): sensitive actions need a recent proof
// (step-up), a tenant requiring MFA opens nothing to a member without a second factor, a
// correct password of a member with a second factor opens only a pending session.

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
const redirects = vi.hoisted(() => [] as string[]);
vi.mock("next/navigation", async (original) => ({
  ...(await original<NavigationModule>()),
  redirect: (to: string) => {
    redirects.push(to);
    throw new Error(`redirect ${to}`);
  },
}));

type NavigationModule = typeof navigation;
const ELEVEN_MINUTES_AGO = () => new Date(Date.now() - 11 * 60 * 1000);

async function addPasskey(userId: string) {
  await getDb()
    .insert(passkeys)
    .values({
      id: newId("passkey"),
      userId,
      credentialId: newId("passkey"),
      publicKey: "AAAA",
      name: "Laptop",
    });
}

async function world() {
  const t = await createTestTenant("Identity");
  const owner = await createTestUser("owner");
  const admin = await createTestUser("admin");
  await addMember(t.id, owner.id, "owner");
  await addMember(t.id, admin.id, "admin");
  return { t, owner, admin };
}

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

beforeEach(() => {
  session.user = null;
  redirects.length = 0;
});

describe("step-up before sensitive actions", () => {
  const run = vi.fn(() => Promise.resolve({ ok: true, message: "done" }));
  const sensitive = tenantAction("vault:write", z.object({}), run);
  const everyday = tenantAction("console:use", z.object({}), run);

  it("asks a member whose last proof is older than STEP_UP_MINUTES, and runs nothing", async () => {
    const { t, owner } = await world();
    session.user = testSession(owner, "ses_old", { stepUpAt: ELEVEN_MINUTES_AGO() });
    run.mockClear();
    const state = await sensitive({}, form({ tenantId: t.id }));
    expect(state.stepUp).toEqual({
      passkey: false,
      totp: false,
      recoveryCode: false,
      password: true,
      enrolFirst: false,
    });
    expect(run).not.toHaveBeenCalled();
  });

  it("offers the second factor, not the password, to a member who has one", async () => {
    const { t, owner } = await world();
    await addPasskey(owner.id);
    session.user = testSession(owner, "ses_old", { stepUpAt: null });
    const state = await sensitive({}, form({ tenantId: t.id }));
    expect(state.stepUp?.passkey).toBe(true);
    expect(state.stepUp?.password).toBe(false);
  });

  it("runs at once within the window, and never asks for everyday actions", async () => {
    const { t, owner } = await world();
    session.user = testSession(owner, "ses_new", { stepUpAt: new Date(Date.now() - 60_000) });
    run.mockClear();
    expect((await sensitive({}, form({ tenantId: t.id }))).ok).toBe(true);
    session.user = testSession(owner, "ses_old", { stepUpAt: ELEVEN_MINUTES_AGO() });
    expect((await everyday({}, form({ tenantId: t.id }))).ok).toBe(true);
    expect(run).toHaveBeenCalledTimes(2);
  });
});

describe("step-up on session routes", () => {
  it("refuses a role change over the console's JSON route with an old proof, and changes nothing", async () => {
    const { t, owner, admin } = await world();
    const [membership] = await getDb()
      .select()
      .from(memberships)
      .where(eq(memberships.userId, admin.id));
    const call = () =>
      memberRoute.PATCH(
        new NextRequest(`http://localhost/api/tenants/${t.id}/members/${membership?.id}`, {
          method: "PATCH",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ role: "auditor" }),
        }),
        { params: Promise.resolve({ tenantId: t.id, membershipId: membership?.id ?? "" }) },
      );
    session.user = testSession(owner, "ses_old", { stepUpAt: ELEVEN_MINUTES_AGO() });
    const refused = await call();
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe("step_up_required");
    const [unchanged] = await getDb()
      .select()
      .from(memberships)
      .where(eq(memberships.id, membership?.id ?? ""));
    expect(unchanged?.role).toBe("admin");
    session.user = testSession(owner, "ses_new");
    expect((await call()).status).toBe(200);
  });
});

describe("a tenant that requires a second factor", () => {
  it("opens nothing to a member without one, and everything once they add one", async () => {
    const { t, admin } = await world();
    await getDb().update(tenants).set({ requireMfa: true }).where(eq(tenants.id, t.id));
    session.user = testSession(admin);
    await expect(resolveTenant(t.id, "tenant:read")).rejects.toMatchObject({
      code: "mfa_enrolment_required",
    });
    // A form posted anyway is sent to enrol, and nothing runs.
    const run = vi.fn(() => Promise.resolve({ ok: true }));
    await expect(
      tenantAction("console:use", z.object({}), run)({}, form({ tenantId: t.id })),
    ).rejects.toThrow("redirect /account/security?required=1");
    expect(run).not.toHaveBeenCalled();
    await addPasskey(admin.id);
    await expect(resolveTenant(t.id, "tenant:read")).resolves.toMatchObject({ role: "admin" });
  });

  it("is set by owners only, and only once the owner has a second factor", async () => {
    const { t, owner, admin } = await world();
    session.user = testSession(admin);
    const refused = await updateMfaPolicyAction({}, form({ tenantId: t.id, requireMfa: "on" }));
    expect(refused.ok).toBeUndefined();
    session.user = testSession(owner);
    const withoutOwn = await updateMfaPolicyAction({}, form({ tenantId: t.id, requireMfa: "on" }));
    expect(withoutOwn.message).toMatch(/your own account/);
    await addPasskey(owner.id);
    const done = await updateMfaPolicyAction({}, form({ tenantId: t.id, requireMfa: "on" }));
    expect(done.ok).toBe(true);
    const [row] = await getDb().select().from(tenants).where(eq(tenants.id, t.id));
    expect(row?.requireMfa).toBe(true);
    const events = await getDb()
      .select({ action: auditEvents.action, details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.tenantId, t.id));
    expect(events.map((e) => e.action)).toContain("settings.mfa_policy_changed");
    expect(events.map((e) => e.action)).toContain("access.denied");
  });
});

describe("a password sign-in of a member with a second factor", () => {
  it("opens a session that is not signed in until the second factor", async () => {
    const { owner } = await world();
    await addPasskey(owner.id);
    const result = await authenticate(
      getDb(),
      { email: owner.email, password: TEST_PASSWORD },
      NO_REQUEST,
    );
    if (!result.ok) throw new Error(result.code);
    expect(result.pendingSecondFactor).toBe(true);
    const pending = await validateSession(getDb(), result.sessionId, 60 * 60 * 1000);
    expect(pending).toMatchObject({ pendingSecondFactor: true, stepUpAt: null });
  });

  it("without a second factor is complete and counts as a fresh proof", async () => {
    const { admin } = await world();
    const result = await authenticate(
      getDb(),
      { email: admin.email, password: TEST_PASSWORD },
      NO_REQUEST,
    );
    if (!result.ok) throw new Error(result.code);
    expect(result.pendingSecondFactor).toBe(false);
    const [row] = await getDb()
      .select()
      .from(userSessions)
      .where(eq(userSessions.id, result.sessionId));
    expect(row?.pendingSecondFactor).toBe(false);
    expect(row?.stepUpAt).not.toBeNull();
  });

  it("waits at most 10 minutes for the second factor", async () => {
    const { owner } = await world();
    await addPasskey(owner.id);
    const result = await authenticate(
      getDb(),
      { email: owner.email, password: TEST_PASSWORD },
      NO_REQUEST,
    );
    if (!result.ok) throw new Error(result.code);
    const later = new Date(Date.now() + 11 * 60 * 1000);
    expect(await validateSession(getDb(), result.sessionId, 60 * 60 * 1000, later)).toBeNull();
  });
});
