import "server-only";
import { getDb } from "@/db";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import {
  clearKeyCache,
  currentTenantKey,
  rewrapTenantKeySeeds,
} from "@/lib/platform/keys/tenant-keys";
import { tenantKmsSettings } from "@/lib/platform/kms/kms";
import type { Acting } from "@/lib/platform/request-context/acting";
import { SEALED_COLUMNS } from "./sealed-columns";
import { rewrapValue } from "./store";

/**
 * The re-wrap job: moves every sealed value of the tenant, in every sealed column
 * (sealed-columns.ts), to the tenant's newest vault key, and every wrapped secret (sealed
 * values and key seeds) to the tenant's current KMS settings, in one transaction. Runs after a
 * vault key rotation and after a KMS change, and on demand; audited as `vault.rewrapped`.
 */
export async function rewrapTenant(acting: Acting) {
  const { tenantId } = acting;
  // Read outside the transaction: PGlite has one connection, and the transaction holds it.
  const newest = await currentTenantKey(tenantId, "vault");
  const result = await getDb().transaction(async (tx) => {
    const settings = await tenantKmsSettings(tenantId, tx);
    const keySeeds = await rewrapTenantKeySeeds(tx, tenantId, settings);
    const columns: Record<string, number> = {};
    let rewrapped = 0;
    let resealed = 0;
    for (const column of SEALED_COLUMNS) {
      const rows = await column.rowsOf(tx, tenantId);
      for (const row of rows) {
        const next = await rewrapValue(column.purpose, row.binding, row.value, newest, tx);
        await row.save(tx, next.value);
        if (next.resealed) resealed++;
      }
      // By table: audit details may not name secret-looking keys ("…sealed").
      columns[column.name.split(".")[0] ?? column.name] = rows.length;
      rewrapped += rows.length;
    }
    const summary = {
      kms_provider: settings.provider,
      vault_key_id: newest.id,
      key_seeds_rewrapped: keySeeds,
      sealed_values_rewrapped: rewrapped,
      sealed_values_resealed: resealed,
      by_table: columns,
    };
    await recordAudit(tx, acting, {
      action: "vault.rewrapped",
      outcome: "succeeded",
      details: summary,
    });
    return summary;
  });
  clearKeyCache();
  return result;
}
