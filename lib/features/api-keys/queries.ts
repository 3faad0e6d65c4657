import "server-only";
import { and, asc, desc, eq, gt, isNull, lte, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { apiKeys } from "@/db/schema";

export async function listApiKeys({ tenantId }: { tenantId: string }) {
  return getDb()
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      clientKeyId: apiKeys.clientKeyId,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      createdAt: apiKeys.createdAt,
      allowedCidrs: apiKeys.allowedCidrs,
      ratePerSecond: apiKeys.ratePerSecond,
      burst: apiKeys.burst,
      rolledAt: apiKeys.rolledAt,
      previousValidUntil: apiKeys.previousValidUntil,
    })
    .from(apiKeys)
    .where(eq(apiKeys.tenantId, tenantId))
    .orderBy(desc(apiKeys.createdAt));
}

/** Live keys that expire within `days` (the dashboard's reminder), soonest first. */
export async function keysExpiringSoon(tenantId: string, days = 14) {
  return getDb()
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      expiresAt: apiKeys.expiresAt,
    })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.tenantId, tenantId),
        isNull(apiKeys.revokedAt),
        gt(apiKeys.expiresAt, sql`now()`),
        lte(apiKeys.expiresAt, sql`now() + make_interval(days => ${days})`),
      ),
    )
    .orderBy(asc(apiKeys.expiresAt));
}
