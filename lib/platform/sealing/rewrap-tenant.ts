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
import { forgetVaultKeys, rewrapValue } from "./store";

/** Values moved per transaction: a long re-wrap never holds a connection (PGlite's only one) for long. */
const BATCH = 100;

/**
 * The re-wrap job: moves the tenant's key seeds to its current KMS settings, then every sealed
 * value, in every sealed column (sealed-columns.ts), to the tenant's newest vault key under
 * those settings. Runs after a vault key rotation and after a KMS change, and on demand.
 *
 * It works in batches of BATCH values, one transaction each. Every stored value names its vault
 * key and carries its KMS's format prefix, so a run that stops half-way leaves every value
 * readable, and running it again finishes the move. The run is audited as `vault.rewrapped`
 * with what it moved.
 */
export async function rewrapTenant(acting: Acting, options: { batch?: number } = {}) {
  const batch = options.batch ?? BATCH;
  const { tenantId } = acting;
  // Read outside the transactions: PGlite has one connection, and a transaction holds it.
  const newest = await currentTenantKey(tenantId, "vault");
  const { settings, keySeeds } = await getDb().transaction(async (tx) => {
    const current = await tenantKmsSettings(tenantId, tx);
    return { settings: current, keySeeds: await rewrapTenantKeySeeds(tx, tenantId, current) };
  });
  // The key rows' wrapped seeds changed: no cached copy may be used to unwrap them again.
  clearKeyCache();
  forgetVaultKeys();

  const byTable: Record<string, number> = {};
  let rewrapped = 0;
  let resealed = 0;
  for (const column of SEALED_COLUMNS) {
    let cursor: string | null = null;
    let moved = 0;
    if (column.prune)
      await getDb().transaction((tx) => column.prune?.(tx, tenantId) ?? Promise.resolve());
    do {
      const page = await getDb().transaction(async (tx) => {
        const { rows, next } = await column.page(tx, tenantId, cursor, batch);
        for (const row of rows) {
          const result = await rewrapValue(
            column.purpose,
            row.binding,
            row.value,
            { newest, settings },
            tx,
          );
          await row.save(tx, result.value);
          if (result.resealed) resealed++;
        }
        return { count: rows.length, next };
      });
      moved += page.count;
      cursor = page.next;
    } while (cursor !== null);
    // By table: audit details may not name secret-looking keys ("…sealed").
    byTable[column.name.split(".")[0] ?? column.name] = moved;
    rewrapped += moved;
  }
  const summary = {
    kms_provider: settings.provider,
    vault_key_id: newest.id,
    key_seeds_rewrapped: keySeeds,
    sealed_values_rewrapped: rewrapped,
    sealed_values_resealed: resealed,
    by_table: byTable,
  };
  await getDb().transaction((tx) =>
    recordAudit(tx, acting, { action: "vault.rewrapped", outcome: "succeeded", details: summary }),
  );
  clearKeyCache();
  return summary;
}
