import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { credentials, credentialVersions } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { fromB64 } from "@/lib/shared/crypto/bytes";
import { serverBackend } from "@/lib/platform/crypto/server-backend";
import {
  clearKeyCache,
  currentTenantKey,
  rewrapTenantKeySeeds,
  listTenantKeys,
  withSecretKey,
} from "@/lib/platform/keys/tenant-keys";
import { tenantKmsSettings, unwrapForTenant, wrapWith } from "@/lib/platform/kms/kms";
import type { Acting } from "@/lib/features/vault/service";
import { KMS_PURPOSE } from "@/lib/features/vault/service";
import { openSealed, sealValues } from "./seal";

/**
 * The re-wrap job: moves every sealed credential version to the tenant's newest vault key and
 * every wrapped secret (credential versions, key seeds) to the tenant's current KMS settings,
 * in one transaction. Runs after a vault key rotation and after a KMS change, and on demand.
 */
export async function rewrapTenant(acting: Acting) {
  const { tenantId } = acting;
  const backend = await serverBackend();
  const newest = await currentTenantKey(tenantId, "vault");
  const newestPublic = fromB64(newest.publicKey);
  // Read outside the transaction: PGlite has one connection, and the transaction holds it.
  const vaultKeys = new Map((await listTenantKeys(tenantId, "vault")).map((k) => [k.id, k]));
  const result = await getDb().transaction(async (tx) => {
    const settings = await tenantKmsSettings(tenantId, tx);
    const keySeeds = await rewrapTenantKeySeeds(tx, tenantId, settings);
    const rows = await tx
      .select({ version: credentialVersions, type: credentials.type })
      .from(credentialVersions)
      .innerJoin(credentials, eq(credentials.id, credentialVersions.credentialId))
      .where(eq(credentialVersions.tenantId, tenantId));
    let resealed = 0;
    for (const { version: v, type } of rows) {
      let sealed = await unwrapForTenant(tenantId, KMS_PURPOSE, v.sealed);
      if (v.vaultKeyId !== newest.id) {
        const binding = { tenantId, credentialId: v.credentialId, type, version: v.version };
        const oldKey = vaultKeys.get(v.vaultKeyId);
        if (!oldKey) throw new Error(`vault key ${v.vaultKeyId} missing`);
        const values = await withSecretKey(oldKey, "vault", (sk) =>
          openSealed(backend, sk, binding, sealed),
        );
        sealed.fill(0);
        sealed = sealValues(backend, newestPublic, binding, values);
        resealed++;
      }
      const wrapped = await wrapWith(settings, tenantId, KMS_PURPOSE, sealed);
      sealed.fill(0);
      await tx
        .update(credentialVersions)
        .set({ sealed: wrapped, vaultKeyId: newest.id })
        .where(
          and(
            eq(credentialVersions.tenantId, tenantId),
            eq(credentialVersions.credentialId, v.credentialId),
            eq(credentialVersions.version, v.version),
          ),
        );
    }
    const summary = {
      kms_provider: settings.provider,
      vault_key_id: newest.id,
      key_seeds_rewrapped: keySeeds,
      credential_versions_rewrapped: rows.length,
      credential_versions_resealed: resealed,
    };
    await recordAudit(tx, {
      tenantId,
      action: "vault.rewrapped",
      outcome: "succeeded",
      actor: acting.actor,
      meta: acting.meta,
      details: summary,
    });
    return summary;
  });
  clearKeyCache();
  return result;
}
