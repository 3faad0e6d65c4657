import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { userSessions } from "@/db/schema";
import { createTestUser } from "@/test/factories";
import { ABSOLUTE_SESSION_MS, createSession, revokeSession, validateSession } from "./sessions";

const IDLE = 8 * 60 * 60 * 1000;

describe("console sessions", () => {
  it("is valid while used, and idle for 8 hours ends it", async () => {
    const user = await createTestUser("sess");
    const t0 = new Date();
    const id = await createSession(getDb(), user.id, { method: "password" }, t0);
    const t1 = new Date(t0.getTime() + IDLE - 60_000);
    expect(await validateSession(getDb(), id, IDLE, t1)).toMatchObject({
      userId: user.id,
      email: user.email,
    });
    // last use was t1, so t1 + 8h - 1 min is still within the idle limit
    expect(
      await validateSession(getDb(), id, IDLE, new Date(t1.getTime() + IDLE - 60_000)),
    ).not.toBeNull();
    const [row] = await getDb().select().from(userSessions).where(eq(userSessions.id, id));
    const lastSeen = row?.lastSeenAt.getTime() ?? 0;
    expect(await validateSession(getDb(), id, IDLE, new Date(lastSeen + IDLE + 1000))).toBeNull();
    // and an idle-expired session stays dead
    expect(await validateSession(getDb(), id, IDLE, new Date(lastSeen + 1000))).toBeNull();
  });

  it("ends at sign-out (revocation)", async () => {
    const user = await createTestUser("sess2");
    const id = await createSession(getDb(), user.id, { method: "password" });
    await revokeSession(getDb(), id);
    expect(await validateSession(getDb(), id, IDLE)).toBeNull();
  });

  it("has an absolute lifetime however busy it is", async () => {
    const user = await createTestUser("sess3");
    const t0 = new Date();
    const id = await createSession(getDb(), user.id, { method: "password" }, t0);
    for (let h = 4; h < 24; h += 4) {
      expect(
        await validateSession(getDb(), id, IDLE, new Date(t0.getTime() + h * 3_600_000)),
      ).not.toBeNull();
    }
    expect(
      await validateSession(getDb(), id, IDLE, new Date(t0.getTime() + ABSOLUTE_SESSION_MS + 1)),
    ).toBeNull();
  });

  it("does not accept an unknown session id", async () => {
    expect(await validateSession(getDb(), "ses_01JUNKJUNKJUNKJUNKJUNKJUNK", IDLE)).toBeNull();
  });
});
