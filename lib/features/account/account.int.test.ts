import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { eq, inArray } from "drizzle-orm";
import pino from "pino";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditEvents, passwordResets, userSessions, users } from "@/db/schema";
import { verifyPassword } from "@/lib/platform/auth/password";
import { issuePasswordReset, RESET_TTL_MS } from "@/lib/platform/auth/password-reset";
import { createSession, type SessionUser } from "@/lib/platform/auth/sessions";
import {
  lockedUntil,
  MAX_FAILURES,
  recordFailure,
  throttleKey,
} from "@/lib/platform/auth/sign-in-throttle";
import { env } from "@/lib/platform/config/env";
import { AppError } from "@/lib/platform/errors/app-error";
import { NO_REQUEST } from "@/lib/platform/http/request-meta";
import { setupSchema } from "@/lib/features/tenants/schemas";
import {
  addMember,
  createTestTenant,
  createTestUser,
  TEST_PASSWORD,
  testSession,
} from "@/test/factories";
import {
  changePasswordAction,
  forgotPasswordAction,
  revokeOtherSessionsAction,
  revokeSessionAction,
} from "./actions";
import { FORGOT_PASSWORD_ANSWER, resetPassword, SELF_RESETS_PER_HOUR } from "./password-reset";
import { listOwnSessions } from "./queries";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

// A local SMTP sink: every mail PQSeal sends lands in `mails`. Started before anything reads
// the configuration (env() is read once per process), so SMTP_URL points at it.
const mails: { to: string[]; raw: string }[] = [];
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, smtp, callback) {
    let raw = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => (raw += chunk));
    stream.on("end", () => {
      mails.push({ to: smtp.envelope.rcptTo.map((r) => r.address), raw });
      callback();
    });
  },
});
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
process.env.SMTP_URL = `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;
afterAll(() => new Promise<void>((resolve) => sink.close(() => resolve())));

// Everything the server logs, at every level, and everything written to the console.
const logged: string[] = [];
(globalThis as { pqsealLogger?: pino.Logger }).pqsealLogger = pino(
  { level: "trace" },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      logged.push(chunk.toString());
      done();
    },
  }),
);
for (const method of ["log", "info", "warn", "error", "debug"] as const) {
  vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
    logged.push(args.map(String).join(" "));
  });
}

const STRONG = "plum violin orbit kestrel";

/** The mail's text with quoted-printable soft breaks and escapes undone. */
const bodyOf = (raw: string) =>
  raw
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
const tokenIn = (raw: string) => /\/reset-password\/([A-Za-z0-9_-]{43})/.exec(bodyOf(raw))?.[1];

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
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

/** A member of a fresh tenant with two open sessions; `session.user` is the first. */
async function member(label = "member") {
  const tenant = await createTestTenant();
  const user = await createTestUser(label);
  await addMember(tenant.id, user.id, "operator");
  const here = await createSession(getDb(), user.id, { method: "password" });
  const there = await createSession(getDb(), user.id, {
    method: "password",
    meta: {
      ip: "203.0.113.7",
      userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0",
      requestId: null,
    },
  });
  session.user = testSession(user, here);
  return { tenant, user, here, there };
}

async function revokedAt(sessionId: string) {
  const [row] = await getDb()
    .select({ revokedAt: userSessions.revokedAt })
    .from(userSessions)
    .where(eq(userSessions.id, sessionId));
  return row?.revokedAt ?? null;
}

async function passwordHashOf(userId: string) {
  const [row] = await getDb().select().from(users).where(eq(users.id, userId));
  return row?.passwordHash ?? "";
}

async function auditOf(tenantId: string) {
  return getDb()
    .select({ action: auditEvents.action, details: auditEvents.details })
    .from(auditEvents)
    .where(inArray(auditEvents.tenantId, [tenantId]));
}

beforeEach(() => {
  session.user = null;
  mails.length = 0;
});

describe("password policy (#18)", () => {
  it("refuses a long but guessable password with advice, and takes a strong one", () => {
    const base = { tenantName: "Acme", name: "Ann", email: "ann@example.test" };
    const weak = setupSchema.safeParse({ ...base, password: "aaaaaaaaaaaa" });
    expect(weak.success).toBe(false);
    const message = weak.error?.issues.find((i) => i.path[0] === "password")?.message ?? "";
    expect(message).toMatch(/too easy to guess/);
    expect(message).toMatch(/Repeated characters/);
    expect(setupSchema.safeParse({ ...base, password: "ann@example.test!" }).success).toBe(false);
    expect(setupSchema.safeParse({ ...base, password: STRONG }).success).toBe(true);
  });
});

describe("change password", () => {
  it("needs the right current password and a strong new one", async () => {
    const m = await member();
    const before = await passwordHashOf(m.user.id);
    const wrong = await changePasswordAction(
      {},
      form({ currentPassword: "not my password", newPassword: STRONG }),
    );
    expect(wrong.errors?.currentPassword).toBeDefined();
    const weak = await changePasswordAction(
      {},
      form({ currentPassword: TEST_PASSWORD, newPassword: "aaaaaaaaaaaa" }),
    );
    expect(weak.errors?.newPassword?.[0]).toMatch(/too easy to guess/);
    expect(await passwordHashOf(m.user.id)).toBe(before);
    expect(await revokedAt(m.there)).toBeNull();
  });

  it("ends every other session but this one, and is audited without the password", async () => {
    const m = await member();
    const state = await changePasswordAction(
      {},
      form({ currentPassword: TEST_PASSWORD, newPassword: STRONG }),
    );
    expect(state).toMatchObject({ ok: true });
    expect(await verifyPassword(STRONG, await passwordHashOf(m.user.id))).toBe(true);
    expect(await revokedAt(m.here)).toBeNull();
    expect(await revokedAt(m.there)).not.toBeNull();
    const [row] = await getDb().select().from(users).where(eq(users.id, m.user.id));
    expect(row?.passwordChangedAt).not.toBeNull();
    const events = await auditOf(m.tenant.id);
    expect(events.map((e) => e.action)).toContain("auth.password_changed");
    expect(JSON.stringify(events)).not.toContain(STRONG);
    expect(JSON.stringify(events)).not.toContain(TEST_PASSWORD);
  });
});

describe("own sessions", () => {
  it("lists them and signs out one or all others, never another member's", async () => {
    const other = await member("other");
    const m = await member();
    const listed = await listOwnSessions({ userId: m.user.id });
    expect(listed.map((s) => s.id).sort()).toEqual([m.here, m.there].sort());
    expect(listed.find((s) => s.id === m.there)?.device).toBe("Firefox on Linux");

    // Another member's session id, posted by this member: not found, nothing ends.
    const refused = await revokeSessionAction({}, form({ sessionId: other.here }));
    expect(refused.ok).toBeUndefined();
    expect(refused.message).toMatch(/not found/);
    expect(await revokedAt(other.here)).toBeNull();

    expect(await revokeSessionAction({}, form({ sessionId: m.there }))).toMatchObject({
      ok: true,
    });
    expect(await revokedAt(m.there)).not.toBeNull();
    const third = await createSession(getDb(), m.user.id, { method: "password" });
    expect(await revokeOtherSessionsAction({}, form({}))).toMatchObject({ ok: true });
    expect(await revokedAt(third)).not.toBeNull();
    expect(await revokedAt(m.here)).toBeNull();
    expect(await revokedAt(other.there)).toBeNull();
    const events = await auditOf(m.tenant.id);
    expect(events.filter((e) => e.action === "auth.session_revoked")).toHaveLength(2);
  });
});

describe("password reset by e-mail", () => {
  it("answers the same for unknown e-mails and mails a working link to a member", async () => {
    expect(env().SMTP_URL).toBe(process.env.SMTP_URL);
    const m = await member();
    session.user = null;
    const unknown = await forgotPasswordAction({}, form({ email: "nobody-at-all@example.test" }));
    expect(mails).toHaveLength(0);
    const known = await forgotPasswordAction({}, form({ email: m.user.email.toUpperCase() }));
    expect(known).toEqual(unknown);
    expect(known).toEqual({ ok: true, message: FORGOT_PASSWORD_ANSWER });

    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual([m.user.email]);
    const token = tokenIn(mails[0]?.raw ?? "");
    expect(token).toBeDefined();
    await resetPassword({ token: token ?? "", password: STRONG }, NO_REQUEST);
    expect(await verifyPassword(STRONG, await passwordHashOf(m.user.id))).toBe(true);

    // Neither the link nor the password reached a log line or an audit event.
    expect(logged.join("\n")).not.toContain(token);
    expect(logged.join("\n")).not.toContain(STRONG);
    const events = await auditOf(m.tenant.id);
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(["auth.password_reset_requested", "auth.password_reset"]),
    );
    const details = JSON.stringify(events);
    expect(details).not.toContain(token);
    expect(details).not.toContain(STRONG);
  });

  it(`sends at most ${SELF_RESETS_PER_HOUR} links an hour to one account`, async () => {
    const m = await member();
    for (let i = 0; i < SELF_RESETS_PER_HOUR + 2; i++) {
      const state = await forgotPasswordAction({}, form({ email: m.user.email }));
      expect(state.message).toBe(FORGOT_PASSWORD_ANSWER);
    }
    expect(mails).toHaveLength(SELF_RESETS_PER_HOUR);
  });
});

describe("reset link", () => {
  it("is single-use, even when used twice at once", async () => {
    const m = await member();
    const { token } = await issuePasswordReset(getDb(), m.user.id, null);
    const results = await Promise.allSettled([
      resetPassword({ token, password: STRONG }, NO_REQUEST),
      resetPassword({ token, password: "another plum violin orbit" }, NO_REQUEST),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failed = results.find((r) => r.status === "rejected");
    expect((failed?.reason as AppError).code).toBe("reset_link_invalid");
    expect(await codeOf(resetPassword({ token, password: STRONG }, NO_REQUEST))).toBe(
      "reset_link_invalid",
    );
  });

  it("expires after one hour", async () => {
    const m = await member();
    const issued = new Date(Date.now() - RESET_TTL_MS - 1000);
    const { token } = await issuePasswordReset(getDb(), m.user.id, null, issued);
    expect(await codeOf(resetPassword({ token, password: STRONG }, NO_REQUEST))).toBe(
      "reset_link_invalid",
    );
    const fresh = await issuePasswordReset(getDb(), m.user.id, null, new Date(Date.now() - 60_000));
    expect(await codeOf(resetPassword({ token: fresh.token, password: STRONG }, NO_REQUEST))).toBe(
      "no error",
    );
  });

  it("refuses a weak password without using the link", async () => {
    const m = await member();
    const { token, id } = await issuePasswordReset(getDb(), m.user.id, null);
    expect(await codeOf(resetPassword({ token, password: "aaaaaaaaaaaa" }, NO_REQUEST))).toBe(
      "weak_password",
    );
    const [row] = await getDb().select().from(passwordResets).where(eq(passwordResets.id, id));
    expect(row?.usedAt).toBeNull();
  });

  it("using one link voids every other open link of the account (M5)", async () => {
    const m = await member();
    const first = await issuePasswordReset(getDb(), m.user.id, null);
    const second = await issuePasswordReset(getDb(), m.user.id, null);
    const other = await member("other");
    const others = await issuePasswordReset(getDb(), other.user.id, null);
    await resetPassword({ token: first.token, password: STRONG }, NO_REQUEST);
    expect(
      await codeOf(resetPassword({ token: second.token, password: STRONG + " x" }, NO_REQUEST)),
    ).toBe("reset_link_invalid");
    expect(await verifyPassword(STRONG, await passwordHashOf(m.user.id))).toBe(true);
    // Another account's link is untouched.
    const [row] = await getDb()
      .select()
      .from(passwordResets)
      .where(eq(passwordResets.id, others.id));
    expect(row?.usedAt).toBeNull();
  });

  it("of two links used at once, one sets the password and the other is refused", async () => {
    for (let round = 0; round < 5; round++) {
      const m = await member();
      const first = await issuePasswordReset(getDb(), m.user.id, null);
      const second = await issuePasswordReset(getDb(), m.user.id, null);
      const results = await Promise.allSettled([
        resetPassword({ token: first.token, password: STRONG }, NO_REQUEST),
        resetPassword({ token: second.token, password: "another plum violin orbit" }, NO_REQUEST),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const failed = results.find((r) => r.status === "rejected");
      expect(String(failed?.reason), String((failed?.reason as Error).cause)).toMatch(
        /reset link is invalid/,
      );
    }
  });

  it("changing the password voids every open link of the account (M5)", async () => {
    const m = await member();
    const { token } = await issuePasswordReset(getDb(), m.user.id, null);
    const state = await changePasswordAction(
      {},
      form({ currentPassword: TEST_PASSWORD, newPassword: STRONG }),
    );
    expect(state).toMatchObject({ ok: true });
    expect(
      await codeOf(resetPassword({ token, password: "another plum violin orbit" }, NO_REQUEST)),
    ).toBe("reset_link_invalid");
    expect(await verifyPassword(STRONG, await passwordHashOf(m.user.id))).toBe(true);
  });

  it("ends every session and lifts the sign-in lockout", async () => {
    const m = await member();
    const key = throttleKey(m.user.email);
    for (let i = 0; i < MAX_FAILURES; i++) await recordFailure(getDb(), key);
    expect(await lockedUntil(getDb(), key)).not.toBeNull();
    const { token } = await issuePasswordReset(getDb(), m.user.id, null);
    await resetPassword({ token, password: STRONG }, NO_REQUEST);
    expect(await revokedAt(m.here)).not.toBeNull();
    expect(await revokedAt(m.there)).not.toBeNull();
    expect(await lockedUntil(getDb(), key)).toBeNull();
    const [row] = await getDb().select().from(users).where(eq(users.id, m.user.id));
    expect(row?.passwordChangedAt).not.toBeNull();
  });
});
