import "server-only";
import { fromB64 } from "@/lib/shared/crypto/bytes";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";
import { serverBackend } from "@/lib/platform/crypto/server-backend";
import { currentTenantKey, tenantKeyById, withSecretKey, type TenantKey } from "./tenant-keys";

export const SIGNING_ALGORITHM = "ML-DSA-65";

/** The tenant's current ML-DSA-65 key, created on first use. */
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
