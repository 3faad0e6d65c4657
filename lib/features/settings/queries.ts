import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { tenants } from "@/db/schema";
import { notFound } from "@/lib/platform/errors/app-error";
import { currentTenantKey, listTenantKeys } from "@/lib/platform/keys/tenant-keys";
import { tenantKmsSettings } from "@/lib/platform/kms/kms";

async function getTenantSettings({ tenantId }: { tenantId: string }) {
  const [row] = await getDb().select().from(tenants).where(eq(tenants.id, tenantId));
  if (!row) throw notFound("Tenant");
  return row;
}

/**
 * Everything the Settings page shows: the tenant, both key lists (each key pair is created on
 * first use, so a new tenant has one of each to show) and its KMS settings.
 */
export async function getSettingsOverview({ tenantId }: { tenantId: string }) {
  await Promise.all([currentTenantKey(tenantId, "signing"), currentTenantKey(tenantId, "vault")]);
  const [tenant, signingKeys, vaultKeys, kms] = await Promise.all([
    getTenantSettings({ tenantId }),
    listTenantKeys(tenantId, "signing"),
    listTenantKeys(tenantId, "vault"),
    tenantKmsSettings(tenantId),
  ]);
  return { tenant, signingKeys, vaultKeys, kms };
}
