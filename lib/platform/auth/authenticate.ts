import "server-only";
import { userActing } from "@/lib/platform/request-context/acting";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { memberships, users } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import type { AuditAction } from "@/lib/shared/audit-vocabulary";
import type { RequestMeta } from "@/lib/platform/http/request-meta";
import { dummyPasswordHash, verifyPassword } from "./password";
import { signInSchema } from "@/lib/platform/auth/schemas";
import { env } from "@/lib/platform/config/env";
import { mustUseSso, secondFactorsOf } from "./factors";
import { createSession } from "./sessions";
import { clearFailures, lockedUntil, recordFailure, throttleKey } from "./sign-in-throttle";

export type AuthenticateResult =
  | {
      ok: true;
      userId: string;
      email: string;
      name: string;
      sessionId: string;
      /** The password was right; the member's second factor is asked next. */
      pendingSecondFactor: boolean;
    }
  | { ok: false; code: "invalid_credentials" | "account_locked" | "sso_required" };

/**
 * Checks e-mail and password with the lockout applied first. Unknown e-mails take the same
 * path (a dummy hash is verified, failures are counted), so neither the answer, the lockout
 * nor the timing tells whether an account exists. Attempts on a known account are audited in
 * each of its tenants, in the same transaction as the counter or session they change.
 */
export async function authenticate(
  db: Db,
  input: unknown,
  meta: RequestMeta,
): Promise<AuthenticateResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "invalid_credentials" };
  const { email, password } = parsed.data;
  const key = throttleKey(email);
  const [user] = await db.select().from(users).where(eq(users.email, email));

  if (await lockedUntil(db, key)) {
    if (user) {
      await db.transaction((tx) =>
        auditInTenants(tx, user, "auth.sign_in_failed", "denied", meta, { reason: "locked" }),
      );
    }
    return { ok: false, code: "account_locked" };
  }

  // A member who joined through single sign-on has no password: the dummy hash keeps the timing.
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !valid) {
    const locked = await db.transaction(async (tx) => {
      const until = await recordFailure(tx, key);
      if (user) {
        await auditInTenants(
          tx,
          user,
          until ? "auth.locked" : "auth.sign_in_failed",
          "denied",
          meta,
          until ? { locked_until: until.toISOString() } : { reason: "wrong_password" },
        );
      }
      return until;
    });
    return { ok: false, code: locked ? "account_locked" : "invalid_credentials" };
  }

  // Only a right password tells that the member must use single sign-on (no account probing).
  if (env().OIDC_ISSUER && (await mustUseSso(db, user))) {
    await db.transaction((tx) =>
      auditInTenants(tx, user, "auth.password_refused_sso", "denied", meta, {}),
    );
    return { ok: false, code: "sso_required" };
  }

  const pending = (await secondFactorsOf(db, user.id)).any;
  const sessionId = await db.transaction(async (tx) => {
    await clearFailures(tx, key);
    const id = await createSession(tx, user.id, {
      method: "password",
      pendingSecondFactor: pending,
      meta,
    });
    await auditInTenants(tx, user, "auth.sign_in", "succeeded", meta, {
      session_id: id,
      method: "password",
      second_factor: pending ? "pending" : "none",
    });
    return id;
  });
  return {
    ok: true,
    userId: user.id,
    email: user.email,
    name: user.name,
    sessionId,
    pendingSecondFactor: pending,
  };
}

/** Sign-in events belong to every tenant the user is a member of. */
export async function auditInTenants(
  tx: Tx,
  user: { id: string; email: string },
  action: AuditAction,
  outcome: "succeeded" | "denied",
  meta: RequestMeta,
  details: Record<string, unknown>,
): Promise<void> {
  const rows = await tx
    .select({ tenantId: memberships.tenantId })
    .from(memberships)
    .where(eq(memberships.userId, user.id));
  for (const { tenantId } of rows) {
    await recordAudit(tx, userActing(tenantId, user, meta), {
      action,
      outcome,
      target: { type: "user", id: user.id },
      details,
    });
  }
}
