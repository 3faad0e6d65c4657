import { getDb } from "@/db";
import { memberships, tenants, users, type Role } from "@/db/schema";
import { hashPassword } from "@/lib/platform/auth/password";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { newId } from "@/lib/shared/ids";

export const TEST_PASSWORD = "correct horse battery staple";
let passwordHash: Promise<string> | undefined;

/** A fresh tenant per test, so tests never see each other's rows. */
export async function createTestTenant(name = "Test tenant") {
  const id = newId("tenant");
  await getDb().insert(tenants).values({ id, name });
  return { id, name };
}

export async function createTestUser(label = "user") {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const id = newId("user");
  const email = `${label}-${id.slice(-10).toLowerCase()}@example.test`;
  await getDb()
    .insert(users)
    .values({ id, email, name: label, passwordHash: await passwordHash });
  return { id, email, name: label };
}

export async function addMember(tenantId: string, userId: string, role: Role) {
  const id = newId("membership");
  await getDb().insert(memberships).values({ id, tenantId, userId, role });
  return id;
}

/** A signed-in session for `user`, fresh enough for sensitive actions (no step-up asked). */
export function testSession(
  user: { id: string; email: string; name: string },
  sessionId = "ses_test",
  overrides: Partial<SessionUser> = {},
): SessionUser {
  return {
    sessionId,
    userId: user.id,
    email: user.email,
    name: user.name,
    method: "password",
    pendingSecondFactor: false,
    stepUpAt: new Date(),
    ...overrides,
  };
}
