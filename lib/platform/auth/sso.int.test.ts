import { and, eq, inArray } from "drizzle-orm";
import type { Account, Profile, User } from "next-auth";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import {
  auditEvents,
  memberships,
  passkeys,
  ssoDomainMappings,
  userSessions,
  users,
  type Role,
} from "@/db/schema";
import type * as EnvModule from "@/lib/platform/config/env";
import { NO_REQUEST } from "@/lib/platform/http/request-meta";
import { newId } from "@/lib/shared/ids";
import { addMember, createTestTenant, TEST_PASSWORD } from "@/test/factories";
import { authenticate } from "./authenticate";
import { hashPassword } from "./password";
import { completeSsoSignIn, oidcProviders, SSO_REFUSED_PATH } from "./sso";

const ISSUER = "https://idp.example.test";
// OIDC_* as each test sets it (the rest of the configuration is the test project's).
const oidc = vi.hoisted(() => ({ on: true }));
vi.mock("@/lib/platform/config/env", async (importOriginal) => {
  const real = await importOriginal<typeof EnvModule>();
  return {
    ...real,
    env: () => ({
      ...real.env(),
      ...(oidc.on
        ? {
            OIDC_ISSUER: "https://idp.example.test",
            OIDC_CLIENT_ID: "pqseal",
            OIDC_CLIENT_SECRET: "client-secret-value",
          }
        : { OIDC_ISSUER: undefined, OIDC_CLIENT_ID: undefined, OIDC_CLIENT_SECRET: undefined }),
    }),
  };
});

beforeEach(() => {
  oidc.on = true;
});

const db = () => getDb();
const account: Account = { type: "oidc", provider: "oidc", providerAccountId: "sub-1" };
/** A domain of this test only (the database is shared by the tests of a run). */
const freshDomain = (label: string) => `${label}-${newId("user").slice(-8).toLowerCase()}.test`;

async function signIn(profile: Profile) {
  const user: User = {};
  const result = await completeSsoSignIn({ user, account, profile }, NO_REQUEST);
  return { result, user };
}

async function mapDomain(tenantId: string, domain: string, role: Role, requireSso = true) {
  await db()
    .insert(ssoDomainMappings)
    .values({ id: newId("ssoMapping"), tenantId, domain, role, requireSso });
}

async function userByEmail(email: string) {
  const [row] = await db().select().from(users).where(eq(users.email, email));
  return row;
}

async function membershipsOf(userId: string) {
  return db()
    .select({ tenantId: memberships.tenantId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, userId));
}

async function eventsIn(tenantId: string, actions: string[]) {
  return db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), inArray(auditEvents.action, actions)));
}

let passwordHash: Promise<string> | undefined;
async function userWithPassword(email: string) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const id = newId("user");
  await db()
    .insert(users)
    .values({ id, email, name: "Has password", passwordHash: await passwordHash });
  return { id, email };
}

describe("oidcProviders", () => {
  it("is one OIDC provider with PKCE, state and nonce when OIDC_* is set, none otherwise", () => {
    expect(oidcProviders()).toEqual([
      expect.objectContaining({
        id: "oidc",
        type: "oidc",
        issuer: ISSUER,
        clientId: "pqseal",
        checks: ["pkce", "state", "nonce"],
        authorization: { params: { scope: "openid email profile" } },
      }),
    ]);
    oidc.on = false;
    expect(oidcProviders()).toEqual([]);
  });
});

describe("completeSsoSignIn", () => {
  it("creates the user without a password and a membership per mapping, with the mapped role", async () => {
    const a = await createTestTenant("A");
    const b = await createTestTenant("B");
    const domain = freshDomain("acme");
    await mapDomain(a.id, domain, "operator");
    await mapDomain(b.id, domain, "auditor", false);
    const email = `ann@${domain}`;

    const { result, user } = await signIn({
      sub: "s1",
      email: `Ann@${domain.toUpperCase()}`,
      email_verified: true,
      name: "Ann\u202E Example\u0000",
    });

    expect(result).toBe(true);
    const created = await userByEmail(email);
    expect(created).toMatchObject({ passwordHash: null, name: "Ann Example" });
    if (!created) throw new Error("unreachable");
    expect(user).toMatchObject({ id: created.id, email });
    expect((await membershipsOf(created.id)).sort((x, y) => x.role.localeCompare(y.role))).toEqual([
      { tenantId: b.id, role: "auditor" },
      { tenantId: a.id, role: "operator" },
    ]);
    const [session] = await db()
      .select()
      .from(userSessions)
      .where(eq(userSessions.id, user.sid ?? ""));
    expect(session).toMatchObject({
      userId: created.id,
      method: "sso",
      ssoIssuer: ISSUER,
      pendingSecondFactor: false,
    });
    for (const tenant of [a, b]) {
      const events = await eventsIn(tenant.id, ["member.joined", "auth.sso_sign_in"]);
      expect(events.map((e) => e.action).sort()).toEqual(["auth.sso_sign_in", "member.joined"]);
      expect(events.find((e) => e.action === "auth.sso_sign_in")?.details).toEqual({
        issuer: ISSUER,
        session_id: user.sid,
        second_factor: "none",
      });
      expect(events.every((e) => e.actorId === created.id && e.actorLabel === email)).toBe(true);
    }
  });

  it("adds no duplicate on a second sign-in, and opens a new session", async () => {
    const a = await createTestTenant("A");
    const domain = freshDomain("twice");
    await mapDomain(a.id, domain, "admin");
    const profile = { sub: "s2", email: `bo@${domain}`, email_verified: true };
    const first = await signIn(profile);
    const second = await signIn(profile);
    expect([first.result, second.result]).toEqual([true, true]);
    expect(second.user.sid).not.toBe(first.user.sid);
    const created = await userByEmail(`bo@${domain}`);
    expect(await membershipsOf(created?.id ?? "")).toEqual([{ tenantId: a.id, role: "admin" }]);
    expect(await eventsIn(a.id, ["member.joined"])).toHaveLength(1);
    expect(await eventsIn(a.id, ["auth.sso_sign_in"])).toHaveLength(2);
  });

  it("never changes an existing member's role, and keeps their password", async () => {
    const a = await createTestTenant("A");
    const b = await createTestTenant("B");
    const domain = freshDomain("keep");
    const existing = await userWithPassword(`cy@${domain}`);
    await addMember(a.id, existing.id, "auditor");
    await mapDomain(a.id, domain, "owner");
    await mapDomain(b.id, domain, "operator");

    expect((await signIn({ sub: "s3", email: existing.email, email_verified: true })).result).toBe(
      true,
    );

    expect((await membershipsOf(existing.id)).sort((x, y) => x.role.localeCompare(y.role))).toEqual(
      [
        { tenantId: a.id, role: "auditor" },
        { tenantId: b.id, role: "operator" },
      ],
    );
    expect((await userByEmail(existing.email))?.passwordHash).toMatch(/^scrypt\$/);
    expect(await eventsIn(a.id, ["member.joined"])).toHaveLength(0);
    expect(await eventsIn(b.id, ["member.joined"])).toHaveLength(1);
  });

  it("asks a member with a second factor for it: the session is pending, with no step-up", async () => {
    const a = await createTestTenant("A");
    const domain = freshDomain("factor");
    const member = await userWithPassword(`ob@${domain}`);
    await addMember(a.id, member.id, "owner");
    await db()
      .insert(passkeys)
      .values({
        id: newId("passkey"),
        userId: member.id,
        credentialId: `cred-${member.id}`,
        publicKey: "pk",
        name: "Laptop",
      });

    const { result, user } = await signIn({
      sub: "s13",
      email: member.email,
      email_verified: true,
    });

    expect(result).toBe(true);
    expect(user.id).toBe(member.id);
    const [session] = await db()
      .select()
      .from(userSessions)
      .where(eq(userSessions.id, user.sid ?? ""));
    expect(session).toMatchObject({
      method: "sso",
      ssoIssuer: ISSUER,
      pendingSecondFactor: true,
      stepUpAt: null,
    });
    const [event] = await eventsIn(a.id, ["auth.sso_sign_in"]);
    expect(event?.details).toEqual({
      issuer: ISSUER,
      session_id: user.sid,
      second_factor: "pending",
    });
  });

  it("opens a complete session, fresh for step-up, for a member without a second factor", async () => {
    const a = await createTestTenant("A");
    const domain = freshDomain("nofactor");
    const member = await userWithPassword(`pa@${domain}`);
    await addMember(a.id, member.id, "owner");

    const { result, user } = await signIn({
      sub: "s14",
      email: member.email,
      email_verified: true,
    });

    expect(result).toBe(true);
    const [session] = await db()
      .select()
      .from(userSessions)
      .where(eq(userSessions.id, user.sid ?? ""));
    expect(session).toMatchObject({ method: "sso", pendingSecondFactor: false });
    expect(session?.stepUpAt).toBeInstanceOf(Date);
    const [event] = await eventsIn(a.id, ["auth.sso_sign_in"]);
    expect(event?.details).toEqual({ issuer: ISSUER, session_id: user.sid, second_factor: "none" });
  });

  it("lets an existing member of an unmapped domain in, to the tenants they belong to", async () => {
    const a = await createTestTenant("A");
    const existing = await userWithPassword(`di@${freshDomain("unmapped")}`);
    await addMember(a.id, existing.id, "operator");
    expect((await signIn({ sub: "s4", email: existing.email, email_verified: true })).result).toBe(
      true,
    );
    expect(await membershipsOf(existing.id)).toEqual([{ tenantId: a.id, role: "operator" }]);
  });

  it("refuses an unverified e-mail (audited for a known member), and creates nothing", async () => {
    const a = await createTestTenant("A");
    const domain = freshDomain("unverified");
    await mapDomain(a.id, domain, "operator");
    for (const email_verified of [false, "true", undefined]) {
      // Some issuers send the string "true": only a boolean counts.
      const profile = { sub: "s5", email: `ed@${domain}`, email_verified } as Profile;
      const { result, user } = await signIn(profile);
      expect(result).toBe(SSO_REFUSED_PATH);
      expect(user.sid).toBeUndefined();
    }
    expect(await userByEmail(`ed@${domain}`)).toBeUndefined();

    const member = await userWithPassword(`fi@${domain}`);
    await addMember(a.id, member.id, "admin");
    expect((await signIn({ sub: "s6", email: member.email, email_verified: false })).result).toBe(
      SSO_REFUSED_PATH,
    );
    const [refused] = await eventsIn(a.id, ["auth.sso_refused"]);
    expect(refused).toMatchObject({
      outcome: "denied",
      actorId: member.id,
      details: { issuer: ISSUER, reason: "email_unverified" },
    });
  });

  it("refuses a missing e-mail and an unmapped domain without a membership", async () => {
    expect((await signIn({ sub: "s7", email_verified: true })).result).toBe(SSO_REFUSED_PATH);
    const domain = freshDomain("nobody");
    const { result } = await signIn({ sub: "s8", email: `gu@${domain}`, email_verified: true });
    expect(result).toBe(SSO_REFUSED_PATH);
    expect(await userByEmail(`gu@${domain}`)).toBeUndefined();
    // A user without any membership is refused too (nothing maps them anywhere).
    const loner = await userWithPassword(`ha@${domain}`);
    expect((await signIn({ sub: "s9", email: loner.email, email_verified: true })).result).toBe(
      SSO_REFUSED_PATH,
    );
  });

  it("refuses everything when single sign-on is not configured", async () => {
    const a = await createTestTenant("A");
    const domain = freshDomain("off");
    await mapDomain(a.id, domain, "operator");
    oidc.on = false;
    const { result } = await signIn({ sub: "s10", email: `io@${domain}`, email_verified: true });
    expect(result).toBe(SSO_REFUSED_PATH);
    expect(await userByEmail(`io@${domain}`)).toBeUndefined();
  });

  it("does not let tenant A's mapping grant tenant B", async () => {
    const a = await createTestTenant("A");
    const b = await createTestTenant("B");
    const domainA = freshDomain("tenant-a");
    await mapDomain(a.id, domainA, "operator");
    await mapDomain(b.id, freshDomain("tenant-b"), "operator");
    await signIn({ sub: "s11", email: `jo@${domainA}`, email_verified: true });
    const created = await userByEmail(`jo@${domainA}`);
    expect(await membershipsOf(created?.id ?? "")).toEqual([{ tenantId: a.id, role: "operator" }]);
    expect(await eventsIn(b.id, ["member.joined", "auth.sso_sign_in"])).toHaveLength(0);
  });

  it("records no secret, token or profile claim in its audit events", async () => {
    const a = await createTestTenant("A");
    const domain = freshDomain("secrets");
    await mapDomain(a.id, domain, "operator");
    const user: User = {};
    const tokens: Account = {
      ...account,
      access_token: "access-token-value",
      id_token: "id-token-value",
      refresh_token: "refresh-token-value",
    };
    await completeSsoSignIn(
      {
        user,
        account: tokens,
        profile: { sub: "s12", email: `ka@${domain}`, email_verified: true },
      },
      NO_REQUEST,
    );
    const events = await eventsIn(a.id, ["member.joined", "auth.sso_sign_in"]);
    const text = JSON.stringify(events);
    for (const secret of ["access-token-value", "id-token-value", "refresh-token-value"]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain("client-secret-value");
    expect(text).not.toContain('"s12"');
  });
});

describe("password sign-in of members who must use single sign-on", () => {
  it("is refused with sso_required (audited) when their domain requires it", async () => {
    const a = await createTestTenant("A");
    const domain = freshDomain("strict");
    const member = await userWithPassword(`la@${domain}`);
    await addMember(a.id, member.id, "operator");
    await mapDomain(a.id, domain, "operator", true);
    const result = await authenticate(
      db(),
      { email: member.email, password: TEST_PASSWORD },
      NO_REQUEST,
    );
    expect(result).toEqual({ ok: false, code: "sso_required" });
    expect(await eventsIn(a.id, ["auth.password_refused_sso"])).toHaveLength(1);
    const sessions = await db()
      .select()
      .from(userSessions)
      .where(eq(userSessions.userId, member.id));
    expect(sessions).toHaveLength(0);
  });

  it("still tells a wrong password apart from nothing (no probing through sso_required)", async () => {
    const a = await createTestTenant("A");
    const domain = freshDomain("probe");
    const member = await userWithPassword(`ma@${domain}`);
    await addMember(a.id, member.id, "operator");
    await mapDomain(a.id, domain, "operator", true);
    expect(
      await authenticate(db(), { email: member.email, password: "not the password" }, NO_REQUEST),
    ).toEqual({ ok: false, code: "invalid_credentials" });
  });

  it("is allowed when require_sso is off, when OIDC is not configured, or in another tenant", async () => {
    const a = await createTestTenant("A");
    const b = await createTestTenant("B");
    const domain = freshDomain("lenient");
    const member = await userWithPassword(`na@${domain}`);
    await addMember(a.id, member.id, "operator");
    await mapDomain(a.id, domain, "operator", false);
    // B requires single sign-on for the domain, but the member does not belong to B.
    await mapDomain(b.id, domain, "operator", true);
    const signInWithPassword = () =>
      authenticate(db(), { email: member.email, password: TEST_PASSWORD }, NO_REQUEST);
    expect(await signInWithPassword()).toMatchObject({ ok: true, userId: member.id });

    await db()
      .update(ssoDomainMappings)
      .set({ requireSso: true })
      .where(and(eq(ssoDomainMappings.tenantId, a.id), eq(ssoDomainMappings.domain, domain)));
    expect(await signInWithPassword()).toEqual({ ok: false, code: "sso_required" });
    oidc.on = false;
    expect(await signInWithPassword()).toMatchObject({ ok: true, userId: member.id });
  });
});
