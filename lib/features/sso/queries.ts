import "server-only";
import { asc, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { ssoDomainMappings } from "@/db/schema";
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
