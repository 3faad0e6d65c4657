import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { apiKeys, signingKeyFetches, tenants } from "@/db/schema";
import { env } from "@/lib/platform/config/env";
import { notFound } from "@/lib/platform/errors/app-error";
import { signingKeyState } from "@/lib/platform/keys/signing-keys";
import { currentTenantKey, listTenantKeys } from "@/lib/platform/keys/tenant-keys";
import { tenantKmsSettings } from "@/lib/platform/kms/kms";

async function getTenantSettings({ tenantId }: { tenantId: string }) {
  const [row] = await getDb().select().from(tenants).where(eq(tenants.id, tenantId));
  if (!row) throw notFound("Tenant");
  return row;
}

/** Which of the tenant's API keys fetched which signing key (GET /api/v2/keys), oldest first. */
async function listSigningKeyFetches({ tenantId }: { tenantId: string }) {
  return getDb()
    .select({
      signingKeyId: signingKeyFetches.signingKeyId,
      apiKeyId: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      revokedAt: apiKeys.revokedAt,
      lastFetchedAt: signingKeyFetches.lastFetchedAt,
    })
    .from(signingKeyFetches)
    .innerJoin(
      apiKeys,
      and(eq(apiKeys.id, signingKeyFetches.apiKeyId), eq(apiKeys.tenantId, tenantId)),
    )
    .where(eq(signingKeyFetches.tenantId, tenantId))
    .orderBy(asc(signingKeyFetches.firstFetchedAt));
}

/**
 * Everything the Settings page shows: the tenant, both key lists (each key pair is created on
 * first use, so a new tenant has one of each to show), for each signing key whether it signs
 * now and which API keys fetched it, and the KMS settings.
 */
export async function getSettingsOverview({ tenantId }: { tenantId: string }) {
  await Promise.all([currentTenantKey(tenantId, "signing"), currentTenantKey(tenantId, "vault")]);
  const [tenant, signing, vaultKeys, kms, fetches] = await Promise.all([
    getTenantSettings({ tenantId }),
    listTenantKeys(tenantId, "signing"),
    listTenantKeys(tenantId, "vault"),
    tenantKmsSettings(tenantId),
    listSigningKeyFetches({ tenantId }),
  ]);
  const now = new Date();
  const signingKeys = signing.map((k) => ({
    ...k,
    state: signingKeyState(k, now),
    fetchedBy: fetches.filter((f) => f.signingKeyId === k.id),
  }));
  return {
    tenant,
    signingKeys,
    vaultKeys,
    kms,
    switchoverHours: env().SIGNING_KEY_SWITCHOVER_HOURS,
  };
}
