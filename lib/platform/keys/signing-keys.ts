import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { signingKeyFetches } from "@/db/schema";
import { fromB64 } from "@/lib/shared/crypto/bytes";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";
import { serverBackend } from "@/lib/platform/crypto/server-backend";
import { currentTenantKey, tenantKeyById, withSecretKey, type TenantKey } from "./tenant-keys";

export const SIGNING_ALGORITHM = "ML-DSA-65";

/** The tenant's ML-DSA-65 key that signs now (ENVELOPE.md §9.1), created on first use. */
export const currentSigningKey = (tenantId: string) => currentTenantKey(tenantId, "signing");

export async function getSigningKeyOrThrow({ tenantId, id }: { tenantId: string; id: string }) {
  const row = await tenantKeyById(tenantId, "signing", id);
  if (!row) throw new Error(`signing key ${id} not found for tenant`);
  return row;
}

/** Signs `message` (pure ML-DSA-65, empty context) with the tenant key on the fast backend. */
export async function signWith(key: TenantKey, message: Uint8Array): Promise<Uint8Array> {
  const backend = await serverBackend();
  return withSecretKey(key, "signing", (secretKey) => backend.dsaSign(message, secretKey));
}

export function verifySignature(
  publicKeyB64: string,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    return nobleBackend.dsaVerify(signature, message, fromB64(publicKeyB64));
  } catch {
    return false;
  }
}

/**
 * Where a signing key stands at `now`: published but not signing yet, signing, or retired
 * (it stopped signing; it still verifies).
 */
export function signingKeyState(
  key: Pick<TenantKey, "activatesAt" | "retiredAt">,
  now = new Date(),
): "pending" | "signing" | "retired" {
  if (key.retiredAt && key.retiredAt <= now) return "retired";
  if (key.activatesAt && key.activatesAt > now) return "pending";
  return "signing";
}

/** Notes that `apiKeyId` was served these signing keys (GET /api/v2/keys), for the console. */
export async function recordSigningKeyFetches(
  tenantId: string,
  apiKeyId: string,
  signingKeyIds: string[],
) {
  if (signingKeyIds.length === 0) return;
  const now = new Date();
  await getDb()
    .insert(signingKeyFetches)
    .values(
      signingKeyIds.map((signingKeyId) => ({
        tenantId,
        apiKeyId,
        signingKeyId,
        firstFetchedAt: now,
        lastFetchedAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: [signingKeyFetches.apiKeyId, signingKeyFetches.signingKeyId],
      set: { lastFetchedAt: now },
      setWhere: eq(signingKeyFetches.tenantId, tenantId),
    });
}
