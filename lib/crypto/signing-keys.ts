import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { ml_dsa65 } from "@noble/post-quantum/ml-dsa.js";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { tenantSigningKeys, type TenantSigningKey } from "@/db/schema";
import { newId } from "@/lib/ids/ids";
import { unwrapSecret, wrapSecret } from "@/lib/kms/local-kms";

export const SIGNING_ALGORITHM = "ML-DSA-65";
const PURPOSE = "signing-key-seed";

export const fingerprintOf = (publicKey: Uint8Array) =>
  createHash("sha256").update(publicKey).digest("hex");

/** The tenant's current ML-DSA-65 key, created on first use (FIPS 204 key from a 32-byte seed). */
export async function currentSigningKey(tenantId: string): Promise<TenantSigningKey> {
  const existing = await findCurrent(getDb(), tenantId);
  if (existing) return existing;
  return getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`signing-key:${tenantId}`}))`);
    const again = await findCurrent(tx, tenantId);
    if (again) return again;
    const seed = randomBytes(32);
    const { publicKey, secretKey } = ml_dsa65.keygen(seed);
    secretKey.fill(0);
    const [row] = await tx
      .insert(tenantSigningKeys)
      .values({
        id: newId("signingKey"),
        tenantId,
        version: 1,
        algorithm: SIGNING_ALGORITHM,
        publicKey: Buffer.from(publicKey).toString("base64"),
        fingerprint: fingerprintOf(publicKey),
        wrappedSecret: wrapSecret(tenantId, PURPOSE, seed),
      })
      .returning();
    seed.fill(0);
    if (!row) throw new Error("signing key insert returned nothing");
    return row;
  });
}

async function findCurrent(db: Pick<Tx, "select">, tenantId: string) {
  const [row] = await db
    .select()
    .from(tenantSigningKeys)
    .where(and(eq(tenantSigningKeys.tenantId, tenantId), isNull(tenantSigningKeys.retiredAt)))
    .orderBy(desc(tenantSigningKeys.version))
    .limit(1);
  return row;
}

export async function getSigningKeyOrThrow({ tenantId, id }: { tenantId: string; id: string }) {
  const [row] = await getDb()
    .select()
    .from(tenantSigningKeys)
    .where(and(eq(tenantSigningKeys.tenantId, tenantId), eq(tenantSigningKeys.id, id)));
  if (!row) throw new Error(`signing key ${id} not found for tenant`);
  return row;
}

/** Signs `message` with the tenant's key; the secret key exists only for this call. */
export function signWith(key: TenantSigningKey, message: Uint8Array): Uint8Array {
  const seed = unwrapSecret(key.tenantId, PURPOSE, key.wrappedSecret);
  const { secretKey } = ml_dsa65.keygen(seed);
  seed.fill(0);
  try {
    return ml_dsa65.sign(message, secretKey);
  } finally {
    secretKey.fill(0);
  }
}

export function verifySignature(
  publicKeyB64: string,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    return ml_dsa65.verify(signature, message, Buffer.from(publicKeyB64, "base64"));
  } catch {
    return false;
  }
}
