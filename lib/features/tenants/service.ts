import "server-only";
import { userActing } from "@/lib/platform/request-context/acting";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { memberships, tenants, users } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { hashPassword } from "@/lib/platform/auth/password";
import type { RequestMeta } from "@/lib/platform/http/request-meta";
import { env, type TenantCreationPolicy } from "@/lib/platform/config/env";
import { AppError } from "@/lib/platform/errors/app-error";
import { newId } from "@/lib/shared/ids";
import { tenantCreationRefusal } from "./creation-policy";

const SETUP_LOCK = 727_274_002;

/** Creates the first tenant and its owner. Works once; afterwards it refuses. */
export async function runFirstSetup(
  input: { tenantName: string; name: string; email: string; password: string },
  meta: RequestMeta,
) {
  const passwordHash = await hashPassword(input.password);
  return getDb().transaction(async (tx) => {
    // Serialises concurrent setups so exactly one can create the first owner.
    await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK})`);
    const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(users);
    if ((row?.n ?? 0) > 0) throw new AppError("not_found", "Setup has already been completed.");
    const tenantId = newId("tenant");
    const userId = newId("user");
    await tx.insert(tenants).values({ id: tenantId, name: input.tenantName });
    await tx
      .insert(users)
      .values({ id: userId, email: input.email, name: input.name, passwordHash });
    await tx
      .insert(memberships)
      .values({ id: newId("membership"), tenantId, userId, role: "owner" });
    await recordAudit(tx, userActing(tenantId, { id: userId, email: input.email }, meta), {
      action: "tenant.created",
      outcome: "succeeded",
      target: { type: "tenant", id: tenantId },
      details: { name: input.tenantName, first_run: true },
    });
    return { tenantId, userId };
  });
}

/**
 * A signed-in user starts another tenant and becomes its owner, if the deployment's
 * TENANT_CREATION setting lets them (tenant_creation_not_allowed otherwise).
 */
export async function createTenant(
  user: { userId: string; email: string },
  input: { tenantName: string },
  meta: RequestMeta,
  policy: TenantCreationPolicy = env().TENANT_CREATION,
) {
  return getDb().transaction(async (tx) => {
    const refusal = await tenantCreationRefusal(user.userId, policy, tx);
    if (refusal) throw refusal;
    const tenantId = newId("tenant");
    await tx.insert(tenants).values({ id: tenantId, name: input.tenantName });
    await tx
      .insert(memberships)
      .values({ id: newId("membership"), tenantId, userId: user.userId, role: "owner" });
    await recordAudit(tx, userActing(tenantId, { id: user.userId, email: user.email }, meta), {
      action: "tenant.created",
      outcome: "succeeded",
      target: { type: "tenant", id: tenantId },
      details: { name: input.tenantName },
    });
    return { tenantId };
  });
}
