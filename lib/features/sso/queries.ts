import "server-only";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { ssoDomainMappings, userSessions } from "@/db/schema";
import { emailDomain } from "@/lib/platform/auth/factors";
import { env } from "@/lib/platform/config/env";

export async function listMappings({ tenantId }: { tenantId: string }) {
  return getDb()
    .select({
      id: ssoDomainMappings.id,
      domain: ssoDomainMappings.domain,
      role: ssoDomainMappings.role,
      requireSso: ssoDomainMappings.requireSso,
      createdAt: ssoDomainMappings.createdAt,
    })
    .from(ssoDomainMappings)
    .where(eq(ssoDomainMappings.tenantId, tenantId))
    .orderBy(asc(ssoDomainMappings.domain));
}

/** The deployment's single sign-on as the console shows it (never the client secret). */
export function ssoConfiguration(): { issuer: string; name: string } | null {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME } = env();
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) return null;
  return { issuer: OIDC_ISSUER, name: OIDC_NAME };
}

/**
 * The e-mail domain this session proves its member controls, or null: a session opened
 * through the deployment's issuer (which vouched for the address, email_verified) as the
 * member's own e-mail. A password, a passkey or another issuer's session proves no domain.
 */
export async function provedDomain(
  ctx: { sessionId: string; userId: string; email: string },
  db: Pick<Tx, "select"> = getDb(),
  now = new Date(),
): Promise<string | null> {
  const issuer = env().OIDC_ISSUER;
  if (!issuer) return null;
  const [session] = await db
    .select({ id: userSessions.id })
    .from(userSessions)
    .where(
      and(
        eq(userSessions.id, ctx.sessionId),
        eq(userSessions.userId, ctx.userId),
        eq(userSessions.method, "sso"),
        eq(userSessions.ssoIssuer, issuer),
        eq(userSessions.pendingSecondFactor, false),
        isNull(userSessions.revokedAt),
        gt(userSessions.expiresAt, now),
      ),
    );
  return session ? emailDomain(ctx.email) : null;
}
