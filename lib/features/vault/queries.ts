import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { credentials, credentialVersions } from "@/db/schema";
import { notFound } from "@/lib/platform/errors/app-error";
import { isId } from "@/lib/shared/ids";
import { type CredentialType } from "./schemas";

export type CredentialMetadata = {
  id: string;
  type: CredentialType;
  name: string;
  fingerprint: string;
  version: number;
  grace_seconds: number;
  vault_key_id: string;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
  /** basic_auth and api_key: the Account SID as `AC…` and its last four characters. */
  account_sid_masked: string | null;
  /** When Twilio last accepted the current values (at sealing, rotation or "Check again"). */
  verified_at: string | null;
  /** Superseded versions that still validate webhooks until their grace period ends. */
  previous_versions_valid_until: string[];
};

export async function listCredentials(tenantId: string): Promise<CredentialMetadata[]> {
  const rows = await getDb()
    .select({ credential: credentials, version: credentialVersions })
    .from(credentials)
    .innerJoin(
      credentialVersions,
      and(
        eq(credentialVersions.credentialId, credentials.id),
        eq(credentialVersions.tenantId, tenantId),
      ),
    )
    .where(eq(credentials.tenantId, tenantId))
    .orderBy(desc(credentials.createdAt), desc(credentialVersions.version));
  const now = Date.now();
  const byId = new Map<string, CredentialMetadata>();
  for (const { credential: c, version: v } of rows) {
    let meta = byId.get(c.id);
    if (!meta) {
      meta = {
        id: c.id,
        type: c.type as CredentialType,
        name: c.name,
        fingerprint: "",
        version: c.currentVersion,
        grace_seconds: c.graceSeconds,
        vault_key_id: "",
        created_at: c.createdAt.toISOString(),
        updated_at: c.updatedAt.toISOString(),
        last_used_at: c.lastUsedAt?.toISOString() ?? null,
        account_sid_masked: c.accountSidMasked,
        verified_at: c.verifiedAt?.toISOString() ?? null,
        previous_versions_valid_until: [],
      };
      byId.set(c.id, meta);
    }
    if (v.version === c.currentVersion) {
      meta.fingerprint = v.fingerprint.slice(0, 16);
      meta.vault_key_id = v.vaultKeyId;
    } else if (v.validUntil && v.validUntil.getTime() > now) {
      meta.previous_versions_valid_until.push(v.validUntil.toISOString());
    }
  }
  return [...byId.values()];
}

/** A credential of the tenant; another tenant's id is "not found" (docs/decisions/0001). */
export async function getCredentialOrThrow({
  tenantId,
  id,
}: {
  tenantId: string;
  id: string;
}): Promise<CredentialMetadata> {
  if (!isId("credential", id)) throw notFound("Credential");
  const found = (await listCredentials(tenantId)).find((c) => c.id === id);
  if (!found) throw notFound("Credential");
  return found;
}
