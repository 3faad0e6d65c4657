import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { tenants } from "@/db/schema";
import type { KmsProvider } from "@/lib/shared/kms-providers";
import { awsUnwrap, awsWrap } from "./aws-kms";
import { unwrapSecret, wrapSecret } from "./local-kms";

// The KMS interface every secret at rest goes through. Which provider wraps is a tenant
// setting (console: Settings -> Key management); unwrapping follows the wrapped value's own
// format prefix, so values wrapped before a provider change stay readable until the re-wrap
// job (lib/platform/sealing/rewrap-tenant.ts) moves them.

export type KmsSettings = { provider: KmsProvider; keyArn: string | null };

/** `db` must be the open transaction when there is one (PGlite has a single connection). */
export async function tenantKmsSettings(
  tenantId: string,
  db: Pick<Tx, "select"> = getDb(),
): Promise<KmsSettings> {
  const [row] = await db
    .select({ provider: tenants.kmsProvider, keyArn: tenants.kmsKeyArn })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!row) throw new Error("tenant not found");
  return { provider: row.provider as KmsProvider, keyArn: row.keyArn };
}

export async function wrapWith(
  settings: KmsSettings,
  tenantId: string,
  purpose: string,
  plaintext: Uint8Array,
): Promise<string> {
  if (settings.provider === "aws-kms") {
    if (!settings.keyArn) throw new Error("aws-kms selected without a key ARN");
    return awsWrap(settings.keyArn, tenantId, purpose, plaintext);
  }
  return wrapSecret(tenantId, purpose, plaintext);
}

export async function wrapForTenant(
  db: Pick<Tx, "select">,
  tenantId: string,
  purpose: string,
  plaintext: Uint8Array,
) {
  return wrapWith(await tenantKmsSettings(tenantId, db), tenantId, purpose, plaintext);
}

export async function unwrapForTenant(
  tenantId: string,
  purpose: string,
  wrapped: string,
): Promise<Uint8Array> {
  if (wrapped.startsWith("aws1.")) return awsUnwrap(tenantId, purpose, wrapped);
  return unwrapSecret(tenantId, purpose, wrapped);
}
