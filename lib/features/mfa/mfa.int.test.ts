import { asc, eq } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditEvents, passkeys, userSessions, userTotp } from "@/db/schema";
import { authenticate } from "@/lib/platform/auth/authenticate";
import { authenticatePasskey } from "@/lib/platform/auth/passkey-sign-in";
import {
  passkeyRegistrationOptions,
  passkeyRequestOptions,
  relyingParty,
  replaceRecoveryCodes,
} from "@/lib/platform/auth/second-factor";
import { validateSession, type SessionUser } from "@/lib/platform/auth/sessions";
import { NO_REQUEST } from "@/lib/platform/http/request-meta";
import {
  addMember,
  createTestTenant,
  createTestUser,
  TEST_PASSWORD,
  testSession,
} from "@/test/factories";
import { assert, createCredential } from "@/test/webauthn-authenticator";
import {
  addPasskeyAction,
  confirmTotpAction,
  regenerateRecoveryCodesAction,
  removePasskeyAction,
  removeTotpAction,
  startTotpAction,
} from "./actions";
import { securityOverview } from "./queries";
import { secondFactorAction, secondFactorOptionsAction } from "./sign-in-actions";
import { stepUpAction, stepUpOptionsAction } from "./step-up-actions";

const session = vi.hoisted(() => ({
  user: null as SessionUser | null,
  pending: null as SessionUser | null,
}));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
  currentPendingUser: () => Promise.resolve(session.pending),
}));
vi.mock("@/lib/platform/auth/auth", () => ({
  signIn: () => Promise.resolve(undefined),
  auth: () => Promise.resolve(null),
}));
// Auth.js does not load outside Next.js (the passkey provider is tested through
// authenticatePasskey below).
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

// Outside a request the actions serve as the request's Host would: http://localhost.
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

/** Enrols TOTP through the actions, as the security page does; returns the app. */
async function enrolTotpViaActions(user: { id: string; email: string; name: string }) {
  session.user = testSession(user);
  expect(await startTotpAction({}, form({}))).toMatchObject({ ok: true });
  const setup = (await securityOverview({ userId: user.id, email: user.email })).totpSetup;
  if (!setup) throw new Error("no setup");
  expect(setup.qrCode).toMatch(/^data:image\/png;base64,/);
  const totp = new TOTP({ secret: Secret.fromBase32(setup.secret), digits: 6, period: 30 });
  const confirmed = await confirmTotpAction({}, form({ code: totp.generate() }));
  return { totp, secret: setup.secret, confirmed };
}

beforeEach(() => {
  session.user = null;
  session.pending = null;
  redirects.length = 0;
});

describe("enrolling an authenticator app", () => {
  it("confirms with a first code, shows 10 recovery codes once, audits without secrets", async () => {
    const { t, user } = await member("enrol");
    session.user = testSession(user);
    expect(await startTotpAction({}, form({}))).toMatchObject({ ok: true });
    // A wrong first code leaves it off.
    const wrong = await confirmTotpAction({}, form({ code: "000000" }));
    expect(wrong.ok).toBeUndefined();
    const { secret, confirmed } = await enrolTotpViaActions(user);
    expect(confirmed.ok).toBe(true);
    const codes = confirmed.data?.recoveryCodes ?? [];
    expect(codes).toHaveLength(10);
    expect((await securityOverview({ userId: user.id, email: user.email })).totp).toBe("on");
    const [row] = await getDb().select().from(userTotp).where(eq(userTotp.userId, user.id));
    expect(row?.secretWrapped).not.toContain(secret);
    const events = await auditOf(t.id);
    expect(events.map((e) => e.action)).toEqual(["auth.mfa_enrolled"]);
    expect(events[0]?.details).toEqual({ factor: "totp" });
    const text = JSON.stringify(events);
    for (const s of [secret, ...codes]) expect(text).not.toContain(s);
    // Starting again does not replace a confirmed app.
    expect((await startTotpAction({}, form({}))).ok).toBeUndefined();
  });

  it("removing the app or making new codes needs a recent proof", async () => {
    const { t, user } = await member("remove");
    await enrolTotpViaActions(user);
    session.user = testSession(user, "ses_old", { stepUpAt: OLD() });
    const asked = await removeTotpAction({}, form({}));
    expect(asked.stepUp).toMatchObject({ totp: true, password: false });
    expect(await regenerateRecoveryCodesAction({}, form({}))).toHaveProperty("stepUp");
    expect((await securityOverview({ userId: user.id, email: user.email })).totp).toBe("on");
    session.user = testSession(user);
    const fresh = await regenerateRecoveryCodesAction({}, form({}));
    expect(fresh.data?.recoveryCodes).toHaveLength(10);
    expect(await removeTotpAction({}, form({}))).toMatchObject({ ok: true });
    const overview = await securityOverview({ userId: user.id, email: user.email });
    expect(overview).toMatchObject({ totp: "off", recoveryCodesLeft: 0 });
    expect((await auditOf(t.id)).map((e) => e.action)).toEqual([
      "auth.mfa_enrolled",
      "auth.recovery_codes_generated",
      "auth.mfa_removed",
    ]);
  });
});

describe("passkeys on the security page", () => {
  it("adds a passkey (with first recovery codes) and removes it after a step-up", async () => {
    const { t, user } = await member("pk-page");
    session.user = testSession(user);
    const options = await passkeyRegistrationOptions(getDb(), user, RP);
    const { response } = createCredential(options, RP.origin);
    const added = await addPasskeyAction(
      {},
      form({ name: "Work laptop", response: JSON.stringify(response) }),
    );
    expect(added).toMatchObject({ ok: true });
    expect(added.data?.recoveryCodes).toHaveLength(10);
    const [key] = await getDb().select().from(passkeys).where(eq(passkeys.userId, user.id));
    if (!key) throw new Error("no passkey");
    // Another member cannot remove it, even with a fresh proof.
    const other = await member("pk-thief");
    session.user = testSession(other.user);
    expect((await removePasskeyAction({}, form({ passkeyId: key.id }))).ok).toBeUndefined();
    session.user = testSession(user, "ses_old", { stepUpAt: OLD() });
    expect(await removePasskeyAction({}, form({ passkeyId: key.id }))).toHaveProperty("stepUp");
    session.user = testSession(user);
    expect(await removePasskeyAction({}, form({ passkeyId: key.id }))).toMatchObject({ ok: true });
    const events = await auditOf(t.id);
    expect(events.map((e) => [e.action, (e.details as { factor?: string }).factor])).toEqual([
      ["auth.mfa_enrolled", "passkey"],
      ["auth.mfa_removed", "passkey"],
    ]);
  });
});

/** A member with an authenticator app whose password sign-in is now pending. */
async function pendingSignIn(label: string) {
  const { t, user } = await member(label);
  const { totp } = await enrolTotpViaActions(user);
  session.user = null;
  const result = await authenticate(
    getDb(),
    { email: user.email, password: TEST_PASSWORD },
    NO_REQUEST,
  );
  if (!result.ok) throw new Error("sign-in refused");
  expect(result.pendingSecondFactor).toBe(true);
  const pending = await validateSession(getDb(), result.sessionId, IDLE);
  session.pending = pending;
  return { t, user, totp, sessionId: result.sessionId };
}

async function sessionRow(id: string) {
  const [row] = await getDb().select().from(userSessions).where(eq(userSessions.id, id));
  return row;
}

describe("the second step of a password sign-in", () => {
  it("a right code completes the session and follows the callback", async () => {
    const { t, totp, sessionId } = await pendingSignIn("verify");
    // The enrolment's code was used in this step; the next step's code is fresh.
    const code = totp.generate({ timestamp: Date.now() + 30_000 });
    await expect(
      secondFactorAction({}, form({ method: "totp", code, callbackUrl: "/t/x" })),
    ).rejects.toThrow("redirect /t/x");
    expect(await sessionRow(sessionId)).toMatchObject({
      pendingSecondFactor: false,
      revokedAt: null,
    });
    const events = await auditOf(t.id);
    expect(events.at(-1)).toMatchObject({
      action: "auth.mfa_verified",
      details: { factor: "totp" },
    });
  });

  it("an open redirect in the callback is not followed", async () => {
    const { totp } = await pendingSignIn("verify-redirect");
    const code = totp.generate({ timestamp: Date.now() + 30_000 });
    await expect(
      secondFactorAction({}, form({ method: "totp", code, callbackUrl: "//evil.example" })),
    ).rejects.toThrow("redirect /");
    expect(redirects).toEqual(["/"]);
  });

  it("a wrong code is refused and audited; the fifth ends the pending session", async () => {
    const { t, sessionId, totp } = await pendingSignIn("verify-wrong");
    const right = totp.generate({ timestamp: Date.now() + 30_000 });
    const wrong = right === "123456" ? "654321" : "123456";
    for (let i = 0; i < 4; i++) {
      const state = await secondFactorAction({}, form({ method: "totp", code: wrong }));
      expect(state.message).toMatch(/not right/);
      expect(await sessionRow(sessionId)).toMatchObject({
        pendingSecondFactor: true,
        revokedAt: null,
      });
    }
    await expect(secondFactorAction({}, form({ method: "totp", code: wrong }))).rejects.toThrow(
      "redirect /sign-in",
    );
    expect((await sessionRow(sessionId))?.revokedAt).not.toBeNull();
    const failed = (await auditOf(t.id)).filter((e) => e.action === "auth.mfa_failed");
    expect(failed).toHaveLength(5);
    expect(JSON.stringify(failed)).not.toContain(wrong);
  });

  it("locks second factors after five failures: a new sign-in with the right code is ended too", async () => {
    const { user, totp } = await pendingSignIn("verify-lock");
    for (let i = 0; i < 5; i++) {
      await secondFactorAction(
        {},
        form({ method: "recovery_code", code: "0000-0000-0000-0000" }),
      ).catch(() => undefined);
    }
    const result = await authenticate(
      getDb(),
      { email: user.email, password: TEST_PASSWORD },
      NO_REQUEST,
    );
    if (!result.ok) throw new Error("sign-in refused");
    session.pending = await validateSession(getDb(), result.sessionId, IDLE);
    const code = totp.generate({ timestamp: Date.now() + 30_000 });
    await expect(secondFactorAction({}, form({ method: "totp", code }))).rejects.toThrow(
      "redirect /sign-in",
    );
    expect((await sessionRow(result.sessionId))?.revokedAt).not.toBeNull();
  });

  it("a recovery code completes it once", async () => {
    const { t, user, sessionId } = await pendingSignIn("verify-rcv");
    const [code = ""] = await replaceRecoveryCodes(getDb(), user.id);
    await expect(secondFactorAction({}, form({ method: "recovery_code", code }))).rejects.toThrow(
      "redirect /",
    );
    expect((await sessionRow(sessionId))?.pendingSecondFactor).toBe(false);
    expect((await auditOf(t.id)).at(-1)).toMatchObject({
      action: "auth.recovery_code_used",
      details: { recovery_codes_left: 9 },
    });
    const second = await pendingSignIn("verify-rcv-2");
    session.pending = await validateSession(getDb(), second.sessionId, IDLE);
    // The first member's code does not work for another member.
    expect(
      (await secondFactorAction({}, form({ method: "recovery_code", code }))).message,
    ).toBeDefined();
  });

  it("a password is not a second factor, and without a pending session nothing opens", async () => {
    const { sessionId } = await pendingSignIn("verify-pw");
    const state = await secondFactorAction(
      {},
      form({ method: "password", password: TEST_PASSWORD }),
    );
    expect(state.message).toBeDefined();
    expect((await sessionRow(sessionId))?.pendingSecondFactor).toBe(true);
    session.pending = null;
    await expect(secondFactorAction({}, form({ method: "totp", code: "123456" }))).rejects.toThrow(
      "redirect /sign-in",
    );
    await expect(secondFactorOptionsAction()).rejects.toThrow("redirect /sign-in");
  });
});

describe("step-up", () => {
  it("refuses the password of a member who has a second factor", async () => {
    const { t, user } = await member("stepup-pw");
    await enrolTotpViaActions(user);
    const sid = await (async () => {
      const r = await authenticate(
        getDb(),
        { email: user.email, password: TEST_PASSWORD },
        NO_REQUEST,
      );
      return r.ok ? r.sessionId : "";
    })();
    await getDb()
      .update(userSessions)
      .set({ pendingSecondFactor: false, stepUpAt: OLD() })
      .where(eq(userSessions.id, sid));
    session.user = await validateSession(getDb(), sid, IDLE);
    const state = await stepUpAction({}, form({ method: "password", password: TEST_PASSWORD }));
    expect(state.ok).toBeUndefined();
    expect(state.message).toMatch(/second factor/);
    expect((await sessionRow(sid))?.stepUpAt?.getTime()).toBeLessThan(Date.now() - 30 * 60_000);
    expect((await auditOf(t.id)).at(-1)).toMatchObject({
      action: "auth.mfa_failed",
      outcome: "denied",
    });
  });

  it("accepts the password of a member without one, and a passkey of a member with one", async () => {
    const { t, user } = await member("stepup-ok");
    const r = await authenticate(
      getDb(),
      { email: user.email, password: TEST_PASSWORD },
      NO_REQUEST,
    );
    if (!r.ok) throw new Error("sign-in refused");
    await getDb()
      .update(userSessions)
      .set({ stepUpAt: OLD() })
      .where(eq(userSessions.id, r.sessionId));
    session.user = await validateSession(getDb(), r.sessionId, IDLE);
    expect(
      (await stepUpAction({}, form({ method: "password", password: "wrong password" }))).ok,
    ).toBeUndefined();
    expect(
      await stepUpAction({}, form({ method: "password", password: TEST_PASSWORD })),
    ).toMatchObject({ ok: true });
    expect((await sessionRow(r.sessionId))?.stepUpAt?.getTime()).toBeGreaterThan(
      Date.now() - 60_000,
    );

    // Now with a passkey: the password no longer does, the passkey does.
    session.user = testSession(user);
    const { passkey, response: created } = createCredential(
      await passkeyRegistrationOptions(getDb(), user, RP),
      RP.origin,
    );
    await addPasskeyAction({}, form({ name: "Key", response: JSON.stringify(created) }));
    session.user = await validateSession(getDb(), r.sessionId, IDLE);
    await getDb()
      .update(userSessions)
      .set({ stepUpAt: OLD() })
      .where(eq(userSessions.id, r.sessionId));
    const options = await stepUpOptionsAction();
    const response = JSON.stringify(assert(passkey, options, RP.origin));
    expect(await stepUpAction({}, form({ method: "passkey", response }))).toMatchObject({
      ok: true,
    });
    // The same assertion again: its challenge was used.
    expect((await stepUpAction({}, form({ method: "passkey", response }))).ok).toBeUndefined();
    const actions = (await auditOf(t.id)).map((e) => e.action);
    expect(actions.filter((a) => a === "auth.step_up")).toHaveLength(2);
    expect(actions.filter((a) => a === "auth.mfa_failed")).toHaveLength(2);
  });
});

describe("passwordless sign-in with a passkey", () => {
  it("opens a complete session and audits it; an assertion works once", async () => {
    const { t, user } = await member("passwordless");
    session.user = testSession(user);
    const created = createCredential(
      await passkeyRegistrationOptions(getDb(), user, RP),
      RP.origin,
    );
    await addPasskeyAction({}, form({ name: "Phone", response: JSON.stringify(created.response) }));
    session.user = null;
    const options = await passkeyRequestOptions(getDb(), { userId: null, purpose: "sign_in" }, RP);
    const response = JSON.stringify(assert(created.passkey, options, RP.origin));
    const result = await authenticatePasskey(getDb(), { response }, NO_REQUEST, RP);
    expect(result).toMatchObject({ ok: true, userId: user.id, pendingSecondFactor: false });
    if (!result.ok) return;
    expect(await sessionRow(result.sessionId)).toMatchObject({
      method: "passkey",
      pendingSecondFactor: false,
    });
    expect((await auditOf(t.id)).at(-1)).toMatchObject({
      action: "auth.sign_in",
      details: { method: "passkey", session_id: result.sessionId },
    });
    expect(await authenticatePasskey(getDb(), { response }, NO_REQUEST, RP)).toEqual({
      ok: false,
      code: "invalid_credentials",
    });
    expect(await authenticatePasskey(getDb(), { response: 42 }, NO_REQUEST, RP)).toMatchObject({
      ok: false,
    });
  });
});
