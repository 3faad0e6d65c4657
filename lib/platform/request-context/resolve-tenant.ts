import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { memberships, tenants, type Role } from "@/db/schema";
import { currentUser } from "@/lib/platform/auth/current-user";
import { secondFactorsOf } from "@/lib/platform/auth/factors";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { AppError, forbidden, notFound } from "@/lib/platform/errors/app-error";
import { currentRequestMeta } from "@/lib/platform/http/request-meta";
import { isId } from "@/lib/shared/ids";
import { userActing, type Acting } from "./acting";
import { can, PERMISSIONS, type Permission } from "./permissions";

/** A console member acting in one of their tenants, with their role. */
export interface TenantContext extends Acting {
  userId: string;
  userName: string;
  email: string;
  sessionId: string;
  /** When the member last proved themselves (sign-in or step-up); see tenantAction. */
  stepUpAt: Date | null;
  tenantId: string;
  tenantName: string;
  role: Role;
  can: (permission: Permission) => boolean;
}

/**
 * THE chokepoint: caller -> tenant -> role. Every page, route handler and server action that
 * touches tenant data starts here, and every query then takes `tenantId` from the returned
 * context. A tenant the caller is not a member of is "not found", never "forbidden", so
 * tenant ids cannot be probed.
 */
export async function resolveTenant(
  tenantId: string,
  permission: Permission,
): Promise<TenantContext> {
  const user = await currentUser();
  if (!user) throw new AppError("unauthenticated", "Sign in to continue.");
  if (!isId("tenant", tenantId)) throw notFound("Tenant");
  const [row] = await getDb()
    .select({
      tenantId: tenants.id,
      tenantName: tenants.name,
      role: memberships.role,
      requireMfa: tenants.requireMfa,
    })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.userId, user.userId), eq(memberships.tenantId, tenantId)));
  if (!row) throw notFound("Tenant");
  // Owners' policy: no second factor, nothing of this tenant (not even reading) until one is added.
  if (row.requireMfa && !(await secondFactorsOf(getDb(), user.userId)).any) {
    throw new AppError(
      "mfa_enrolment_required",
      `${row.tenantName} requires a second factor. Add a passkey or an authenticator app to continue.`,
      { remediation: "Open Account → Second factors and add one." },
    );
  }
  const acting = userActing(
    row.tenantId,
    { id: user.userId, email: user.email },
    await currentRequestMeta(),
  );
  if (!can(row.role, permission)) {
    // A refusal is worth recording: "was it allowed" is what auditors ask.
    await getDb().transaction((tx) =>
      recordAudit(tx, acting, {
        action: "access.denied",
        outcome: "denied",
        details: { permission, role: row.role },
      }),
    );
    throw forbidden(PERMISSIONS[permission]);
  }
  const role = row.role;
  return {
    ...acting,
    userId: user.userId,
    userName: user.name,
    email: user.email,
    sessionId: user.sessionId,
    stepUpAt: user.stepUpAt,
    tenantId: row.tenantId,
    tenantName: row.tenantName,
    role,
    can: (p) => can(role, p),
  };
}

/** The tenants the signed-in user belongs to, for the switcher and the landing redirect. */
export async function listMyTenants(userId: string) {
  return getDb()
    .select({ id: tenants.id, name: tenants.name, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, userId))
    .orderBy(tenants.name);
}
