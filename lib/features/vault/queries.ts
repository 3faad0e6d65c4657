import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { credentials, credentialVersions, type Credential } from "@/db/schema";
import { notFound } from "@/lib/platform/errors/app-error";
import {
  encodeCursor,
  keysetAt,
  keysetBefore,
  toPage,
  type Page,
  type PageQuery,
} from "@/lib/platform/http/pagination";
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

/** Every credential of the tenant, newest first: the console's pages and pickers show them all. */
export async function listCredentials(tenantId: string): Promise<CredentialMetadata[]> {
  const rows = await getDb()
    .select()
    .from(credentials)
    .where(eq(credentials.tenantId, tenantId))
    .orderBy(desc(credentials.createdAt), desc(credentials.id));
  return withVersions(tenantId, rows);
}

/** A page of the tenant's credentials (GET /api/v2/vault/credentials), newest first. */
export async function pageCredentials(
  tenantId: string,
  { limit, cursor }: PageQuery,
): Promise<Page<CredentialMetadata>> {
  const rows = await getDb()
    .select({ row: credentials, at: keysetAt(credentials.createdAt) })
    .from(credentials)
    .where(
      and(
        eq(credentials.tenantId, tenantId),
        keysetBefore(credentials.createdAt, credentials.id, cursor),
      ),
    )
    .orderBy(desc(credentials.createdAt), desc(credentials.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => encodeCursor({ at: r.at, id: r.row.id }));
  return {
    ...page,
    items: await withVersions(
      tenantId,
      page.items.map((r) => r.row),
    ),
  };
}

/** The metadata of `rows` (in their order), from their versions (no sealed values read). */
async function withVersions(tenantId: string, rows: Credential[]): Promise<CredentialMetadata[]> {
  if (rows.length === 0) return [];
  const versions = await getDb()
    .select({
      credentialId: credentialVersions.credentialId,
      version: credentialVersions.version,
      fingerprint: credentialVersions.fingerprint,
      vaultKeyId: credentialVersions.vaultKeyId,
      validUntil: credentialVersions.validUntil,
    })
    .from(credentialVersions)
    .where(
      and(
        eq(credentialVersions.tenantId, tenantId),
        inArray(
          credentialVersions.credentialId,
          rows.map((c) => c.id),
        ),
      ),
    )
    .orderBy(desc(credentialVersions.version));
  const now = Date.now();
  const byId = new Map<string, CredentialMetadata>(
    rows.map((c) => [
      c.id,
      {
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
      },
    ]),
  );
  const current = new Map(rows.map((c) => [c.id, c.currentVersion]));
  for (const v of versions) {
    const meta = byId.get(v.credentialId);
    if (!meta) continue;
    if (v.version === current.get(v.credentialId)) {
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
  const rows = await getDb()
    .select()
    .from(credentials)
    .where(and(eq(credentials.tenantId, tenantId), eq(credentials.id, id)));
  const [found] = await withVersions(tenantId, rows);
  if (!found) throw notFound("Credential");
  return found;
}
