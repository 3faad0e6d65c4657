import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Db, type Tx } from "@/db";
import { memberships } from "@/db/schema";
import { env, type TenantCreationPolicy } from "@/lib/platform/config/env";
import { AppError } from "@/lib/platform/errors/app-error";

/**
 * Why `userId` may not create another tenant under the deployment's TENANT_CREATION setting,
 * or null when they may. "owners" (the default) lets only people who own a tenant start
 * another, so an invited operator or auditor cannot open tenants of their own.
 */
export async function tenantCreationRefusal(
  userId: string,
  policy: TenantCreationPolicy = env().TENANT_CREATION,
  db: Db | Tx = getDb(),
): Promise<AppError | null> {
  if (policy === "everyone") return null;
  if (policy === "nobody") {
    return new AppError(
      "tenant_creation_not_allowed",
      "New tenants are not created from the console on this deployment.",
      { remediation: "Ask whoever runs PQSeal here to create it (setting TENANT_CREATION)." },
    );
  }
  if (await ownsATenant(db, userId)) return null;
  return new AppError(
    "tenant_creation_not_allowed",
    "Only people who own a tenant can create one.",
    { remediation: "Ask an owner in your organisation to create it, or to invite you to theirs." },
  );
}

/** A refusal as a form shows it: what happened and what to do. */
export function refusalMessage(refusal: AppError): { message: string } {
  const { remediation } = refusal.options;
  return { message: remediation ? `${refusal.message} ${remediation}` : refusal.message };
}

/** Whether the console offers "New tenant" to `userId`. */
export async function mayCreateTenant(
  userId: string,
  policy: TenantCreationPolicy = env().TENANT_CREATION,
): Promise<boolean> {
  return (await tenantCreationRefusal(userId, policy)) === null;
}

async function ownsATenant(db: Db | Tx, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.role, "owner")))
    .limit(1);
  return row !== undefined;
}
