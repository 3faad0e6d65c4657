import { and, asc, eq } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import {
  auditEvents,
  passkeys,
  ssoDomainMappings,
  userSessions,
  userTotp,
  webauthnChallenges,
} from "@/db/schema";
import { signOutAction } from "@/lib/features/auth/actions";
import { authenticate } from "@/lib/platform/auth/authenticate";
import { passkeyRegistrationOptions, relyingParty } from "@/lib/platform/auth/second-factor";
import {
  createSession,
  revokeSession,
  validateSession,
  type SessionUser,
} from "@/lib/platform/auth/sessions";
import type * as EnvModule from "@/lib/platform/config/env";
import { NO_REQUEST } from "@/lib/platform/http/request-meta";
import { newId } from "@/lib/shared/ids";
import {
  addMember,
  createTestTenant,
  createTestUser,
  TEST_PASSWORD,
  testSession,
} from "@/test/factories";
import { createCredential } from "@/test/webauthn-authenticator";
import {
  addPasskeyAction,
  confirmTotpAction,
  passkeyRegistrationOptionsAction,
  startTotpAction,
} from "./actions";
import { securityOverview } from "./queries";
import { cancelSignInAction, secondFactorAction } from "./sign-in-actions";
import { stepUpAction } from "./step-up-actions";

// The security review's findings on second factors (H4 and the lower ones): each test here
// failed before its fix.

const session = vi.hoisted(() => ({
  user: null as SessionUser | null,
  pending: null as SessionUser | null,
}));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
  currentPendingUser: () => Promise.resolve(session.pending),
}));
const signOuts = vi.hoisted(() => [] as unknown[]);
vi.mock("@/lib/platform/auth/auth", () => ({
  signIn: () => Promise.resolve(undefined),
  signOut: (options: unknown) => {
    signOuts.push(options);
    return Promise.resolve(undefined);
  },
  auth: () => Promise.resolve(null),
}));
vi.mock("next-auth", () => {
  class AuthError extends Error {}
  class CredentialsSignin extends AuthError {
    code = "credentials";
  }
  return { AuthError, CredentialsSignin };
});
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
const redirects = vi.hoisted(() => [] as string[]);
vi.mock("next/navigation", async (original) => ({
  ...(await original<object>()),
  redirect: (to: string) => {
    redirects.push(to);
    throw new Error(`redirect ${to}`);
  },
}));
// OIDC_* as each test sets it (off unless a test turns it on).
const oidc = vi.hoisted(() => ({ on: false }));
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

const RP = relyingParty(new Headers());
const IDLE = 8 * 60 * 60 * 1000;
const OLD = () => new Date(Date.now() - 60 * 60 * 1000);

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

async function member(label: string) {
  const t = await createTestTenant(label);
  const user = await createTestUser(label);
  await addMember(t.id, user.id, "owner");
  return { t, user };
}

async function auditOf(tenantId: string) {
  return getDb()
    .select({
      action: auditEvents.action,
      outcome: auditEvents.outcome,
      details: auditEvents.details,
    })
    .from(auditEvents)
    .where(eq(auditEvents.tenantId, tenantId))
    .orderBy(asc(auditEvents.seq));
}

async function sessionRow(id: string) {
  const [row] = await getDb().select().from(userSessions).where(eq(userSessions.id, id));
  return row;
}

/** A real, complete session whose last proof is an hour old. */
async function staleSession(user: { id: string }) {
  const id = await createSession(getDb(), user.id, { method: "password" });
  await getDb().update(userSessions).set({ stepUpAt: OLD() }).where(eq(userSessions.id, id));
  const validated = await validateSession(getDb(), id, IDLE);
  if (!validated) throw new Error("no session");
  return validated;
}

async function enrolTotp(user: { id: string; email: string; name: string }) {
  session.user = testSession(user);
  expect(await startTotpAction({}, form({}))).toMatchObject({ ok: true });
  const setup = (await securityOverview({ userId: user.id, email: user.email })).totpSetup;
  if (!setup) throw new Error("no setup");
  const totp = new TOTP({ secret: Secret.fromBase32(setup.secret), digits: 6, period: 30 });
  expect(await confirmTotpAction({}, form({ code: totp.generate() }))).toMatchObject({ ok: true });
  return totp;
}

/** A member with an authenticator app whose password sign-in is now pending. */
async function pendingSignIn(label: string) {
  const { t, user } = await member(label);
  const totp = await enrolTotp(user);
  session.user = null;
  const result = await authenticate(
    getDb(),
    { email: user.email, password: TEST_PASSWORD },
    NO_REQUEST,
  );
  if (!result.ok || !result.pendingSecondFactor) throw new Error("no pending sign-in");
  session.pending = await validateSession(getDb(), result.sessionId, IDLE);
  return { t, user, totp, sessionId: result.sessionId };
}

async function requireSso(tenantId: string) {
  await getDb()
    .insert(ssoDomainMappings)
    .values({
      id: newId("ssoMapping"),
      tenantId,
      domain: "example.test",
      role: "operator",
      requireSso: true,
    });
}

beforeEach(() => {
  session.user = null;
  session.pending = null;
  redirects.length = 0;
  signOuts.length = 0;
  oidc.on = false;
});

describe("H4: adding a second factor needs a recent proof", () => {
  it("a stale session cannot start or confirm an authenticator app", async () => {
    const { user } = await member("h4-totp");
    session.user = await staleSession(user);
    const started = await startTotpAction({}, form({}));
    expect(started.ok).toBeUndefined();
    expect(started.stepUp).toMatchObject({ password: true });
    expect(await getDb().select().from(userTotp).where(eq(userTotp.userId, user.id))).toEqual([]);

    // An enrolment started within the window cannot be confirmed once the proof is stale.
    session.user = testSession(user);
    expect(await startTotpAction({}, form({}))).toMatchObject({ ok: true });
    const setup = (await securityOverview({ userId: user.id, email: user.email })).totpSetup;
    if (!setup) throw new Error("no setup");
    const totp = new TOTP({ secret: Secret.fromBase32(setup.secret), digits: 6, period: 30 });
    session.user = await staleSession(user);
    const confirmed = await confirmTotpAction({}, form({ code: totp.generate() }));
    expect(confirmed.ok).toBeUndefined();
    expect(confirmed.stepUp).toBeDefined();
    expect((await securityOverview({ userId: user.id, email: user.email })).totp).not.toBe("on");
  });

  it("a stale session gets no passkey registration options and cannot add a passkey", async () => {
    const { user } = await member("h4-pk");
    session.user = await staleSession(user);
    const answer = await passkeyRegistrationOptionsAction();
    expect(answer).not.toHaveProperty("options");
    expect(answer).toMatchObject({
      message: "Confirm it is you first",
      stepUp: { password: true },
    });
    expect(
      await getDb()
        .select()
        .from(webauthnChallenges)
        .where(
          and(eq(webauthnChallenges.userId, user.id), eq(webauthnChallenges.purpose, "register")),
        ),
    ).toEqual([]);

    // Options from elsewhere (a fresh session of the intruder's own making is not possible;
    // made directly here) still do not get a passkey in.
    const options = await passkeyRegistrationOptions(getDb(), user, RP);
    const { response } = createCredential(options, RP.origin);
    const added = await addPasskeyAction(
      {},
      form({ name: "Intruder", response: JSON.stringify(response) }),
    );
    expect(added.ok).toBeUndefined();
    expect(added.stepUp).toBeDefined();
    expect(await getDb().select().from(passkeys).where(eq(passkeys.userId, user.id))).toEqual([]);
  });

  it("a fresh sign-in counts as the proof: options and the passkey go through", async () => {
    const { user } = await member("h4-fresh");
    session.user = testSession(user);
    const answer = await passkeyRegistrationOptionsAction();
    if (!("options" in answer)) throw new Error("refused");
    const { response } = createCredential(answer.options, RP.origin);
    expect(
      await addPasskeyAction({}, form({ name: "Laptop", response: JSON.stringify(response) })),
    ).toMatchObject({ ok: true });
  });
});

describe("step-up under require_sso", () => {
  it("offers no password to a member whose domain requires single sign-on", async () => {
    const { t, user } = await member("sso-stepup");
    await requireSso(t.id);
    oidc.on = true;
    const stale = await staleSession(user);
    session.user = stale;
    const asked = await startTotpAction({}, form({}));
    expect(asked.stepUp).toEqual({
      passkey: false,
      totp: false,
      recoveryCode: false,
      password: false,
      enrolFirst: true,
    });
    const state = await stepUpAction({}, form({ method: "password", password: TEST_PASSWORD }));
    expect(state.ok).toBeUndefined();
    expect(state.message).toMatch(/single sign-on/);
    expect((await sessionRow(stale.sessionId))?.stepUpAt?.getTime()).toBeLessThan(
      Date.now() - 30 * 60_000,
    );
    expect((await auditOf(t.id)).at(-1)).toMatchObject({
      action: "auth.mfa_failed",
      outcome: "denied",
    });
  });

  it("without single sign-on configured, the password still confirms", async () => {
    const { t, user } = await member("sso-off-stepup");
    await requireSso(t.id);
    const stale = await staleSession(user);
    session.user = stale;
    expect((await startTotpAction({}, form({}))).stepUp).toMatchObject({ password: true });
    expect(
      await stepUpAction({}, form({ method: "password", password: TEST_PASSWORD })),
    ).toMatchObject({ ok: true });
  });
});

describe("completing a sign-in", () => {
  it("a session revoked before completion is not completed, nor audited as verified", async () => {
    const { t, totp, sessionId } = await pendingSignIn("complete-revoked");
    // Revoked after currentPendingUser() found it pending (another tab signed out, an owner
    // ended the member's sessions).
    await revokeSession(getDb(), sessionId);
    const code = totp.generate({ timestamp: Date.now() + 30_000 });
    await expect(
      secondFactorAction({}, form({ method: "totp", code, callbackUrl: "/t/x" })),
    ).rejects.toThrow(/^redirect /);
    expect(redirects).toEqual([`/sign-in?callbackUrl=${encodeURIComponent("/t/x")}`]);
    const actions = (await auditOf(t.id)).map((e) => e.action);
    expect(actions).not.toContain("auth.mfa_verified");
    expect(await sessionRow(sessionId)).toMatchObject({ pendingSecondFactor: true });
  });
});

describe("cancelling a pending sign-in", () => {
  it("the verify page's cancel revokes the pending session and signs out", async () => {
    const { sessionId } = await pendingSignIn("cancel");
    await cancelSignInAction();
    expect((await sessionRow(sessionId))?.revokedAt).not.toBeNull();
    expect(signOuts).toEqual([{ redirectTo: "/sign-in" }]);
  });

  it("sign out also revokes a pending session", async () => {
    const { sessionId } = await pendingSignIn("signout-pending");
    await signOutAction();
    expect((await sessionRow(sessionId))?.revokedAt).not.toBeNull();
    expect(signOuts).toEqual([{ redirectTo: "/sign-in" }]);
  });
});

describe("parallel guesses", () => {
  it("no more than five second-factor guesses are checked, however many arrive at once", async () => {
    const { t, totp } = await pendingSignIn("parallel");
    const right = totp.generate({ timestamp: Date.now() + 30_000 });
    const wrong = right === "123456" ? "654321" : "123456";
    await Promise.all(
      Array.from({ length: 12 }, () =>
        secondFactorAction({}, form({ method: "totp", code: wrong })).catch(() => undefined),
      ),
    );
    const failed = (await auditOf(t.id)).filter((e) => e.action === "auth.mfa_failed");
    const checked = failed.filter((e) => (e.details as { reason?: string }).reason !== "locked");
    expect(failed).toHaveLength(12);
    expect(checked.length).toBeLessThanOrEqual(5);
  });

  it("no more than five step-up guesses are checked either", async () => {
    const { t, user } = await member("parallel-stepup");
    session.user = await staleSession(user);
    await Promise.all(
      Array.from({ length: 12 }, () =>
        stepUpAction({}, form({ method: "password", password: "not the password" })),
      ),
    );
    const failed = (await auditOf(t.id)).filter((e) => e.action === "auth.mfa_failed");
    const checked = failed.filter((e) => (e.details as { reason?: string }).reason !== "locked");
    expect(checked.length).toBeLessThanOrEqual(5);
    // A lock stays: the right password is refused now.
    expect(
      (await stepUpAction({}, form({ method: "password", password: TEST_PASSWORD }))).ok,
    ).toBeUndefined();
  });
});
