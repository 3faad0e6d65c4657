import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { NO_REQUEST } from "@/lib/platform/http/request-meta";
import { signInThrottles, userSessions } from "@/db/schema";
import { createTestUser, TEST_PASSWORD } from "@/test/factories";
import { authenticate } from "./authenticate";
import { MAX_FAILURES, throttleKey } from "./sign-in-throttle";

const db = () => getDb();

async function failTimes(email: string, n: number) {
  const results = [];
  for (let i = 0; i < n; i++)
    results.push(await authenticate(db(), { email, password: "wrong password!" }, NO_REQUEST));
  return results;
}

describe("authenticate", () => {
  it("signs in with the right password and records a server-side session", async () => {
    const user = await createTestUser("alice");
    const result = await authenticate(
      db(),
      {
        email: user.email.toUpperCase(),
        password: TEST_PASSWORD,
      },
      NO_REQUEST,
    );
    expect(result).toMatchObject({ ok: true, userId: user.id });
    if (!result.ok) throw new Error("unreachable");
    const [session] = await db()
      .select()
      .from(userSessions)
      .where(eq(userSessions.id, result.sessionId));
    expect(session?.userId).toBe(user.id);
  });

  it("answers a wrong password and an unknown e-mail identically", async () => {
    const user = await createTestUser("bob");
    expect(
      await authenticate(db(), { email: user.email, password: "not the password" }, NO_REQUEST),
    ).toEqual({
      ok: false,
      code: "invalid_credentials",
    });
    expect(
      await authenticate(
        db(),
        { email: "nobody@example.test", password: "not the password" },
        NO_REQUEST,
      ),
    ).toEqual({
      ok: false,
      code: "invalid_credentials",
    });
  });

  it(`locks the account for 15 minutes after ${MAX_FAILURES} failures, even for the right password`, async () => {
    const user = await createTestUser("carol");
    const results = await failTimes(user.email, MAX_FAILURES);
    expect(
      results.slice(0, MAX_FAILURES - 1).every((r) => !r.ok && r.code === "invalid_credentials"),
    ).toBe(true);
    expect(results.at(-1)).toEqual({ ok: false, code: "account_locked" });
    expect(
      await authenticate(db(), { email: user.email, password: TEST_PASSWORD }, NO_REQUEST),
    ).toEqual({
      ok: false,
      code: "account_locked",
    });
    const [row] = await db()
      .select()
      .from(signInThrottles)
      .where(eq(signInThrottles.key, throttleKey(user.email)));
    const minutes = ((row?.lockedUntil?.getTime() ?? 0) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
  });

  it("locks unknown e-mails the same way, so the lockout reveals nothing", async () => {
    const results = await failTimes("ghost-lock@example.test", MAX_FAILURES);
    expect(results.at(-1)).toEqual({ ok: false, code: "account_locked" });
  });

  it("lets the user in again once the cooldown is over, with a fresh count", async () => {
    const user = await createTestUser("dave");
    await failTimes(user.email, MAX_FAILURES);
    await db()
      .update(signInThrottles)
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(signInThrottles.key, throttleKey(user.email)));
    expect(
      await authenticate(db(), { email: user.email, password: TEST_PASSWORD }, NO_REQUEST),
    ).toMatchObject({
      ok: true,
    });
    const [row] = await db()
      .select()
      .from(signInThrottles)
      .where(eq(signInThrottles.key, throttleKey(user.email)));
    expect(row).toBeUndefined();
  });

  it("resets the failure count after a successful sign-in", async () => {
    const user = await createTestUser("erin");
    await failTimes(user.email, MAX_FAILURES - 1);
    expect(
      await authenticate(db(), { email: user.email, password: TEST_PASSWORD }, NO_REQUEST),
    ).toMatchObject({
      ok: true,
    });
    const results = await failTimes(user.email, MAX_FAILURES - 1);
    expect(results.every((r) => !r.ok && r.code === "invalid_credentials")).toBe(true);
  });

  it("refuses malformed input without touching the database", async () => {
    expect(await authenticate(db(), { email: "not-an-email", password: "" }, NO_REQUEST)).toEqual({
      ok: false,
      code: "invalid_credentials",
    });
  });
});
