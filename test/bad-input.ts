import { sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { getDb, rowsOf } from "@/db";
import { createApiKey } from "@/lib/features/api-keys/service";
import { OPERATIONS } from "@/lib/features/integrations/schemas";
import { createIntegration } from "@/lib/features/integrations/service";
import { sealCredential } from "@/lib/features/vault/service";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { API_KEY_SCOPES } from "@/lib/shared/api-key-scopes";
import { generateClientKeyPair } from "@/lib/shared/sdk/index";
import { addMember, createTestTenant, createTestUser, testSession } from "./factories";
import { ACCOUNT, FROM, TOKEN, VERIFY_SID } from "./proxy-setup";

// Shared by the bad-input regression tests and the fuzz test: a tenant whose owner is signed
// in, with a sealed credential, an integration and an API key holding every scope (bound to a
// client key, so proxy calls get past the key checks), plus a snapshot of everything the
// tenant has in the database, to show that a refused input wrote nothing.

export async function hostileWorld(signIn: (user: SessionUser) => void) {
  const t = await createTestTenant("Hostile input");
  const owner = await createTestUser("owner");
  const membershipId = await addMember(t.id, owner.id, "owner");
  const user = testSession(owner, "ses_test");
  signIn(user);
  const ctx = await resolveTenant(t.id, "settings:write");
  const credential = await sealCredential(ctx, {
    type: "basic_auth",
    name: "twilio",
    values: { username: ACCOUNT, password: TOKEN },
  });
  const integration = await createIntegration(ctx, {
    name: "main",
    system_type: "twilio",
    credential_id: credential.id,
    allowed_operations: [...OPERATIONS],
    allowed_countries: ["US"],
    default_from: FROM,
    verify_service_sid: VERIFY_SID,
    sends_per_destination: 1000,
    checks_per_destination: 5,
    destination_window_seconds: 600,
    key_burst: 10_000,
    key_rate_per_second: 10_000,
    enabled: true,
  });
  const pair = generateClientKeyPair();
  const key = await createApiKey(ctx, {
    name: "everything",
    environment: "test",
    scopes: [...API_KEY_SCOPES],
    clientPublicKey: pair.publicKey,
  });
  return {
    tenantId: t.id,
    user,
    ctx,
    membershipId,
    credentialId: credential.id,
    integrationId: integration.id,
    apiKey: key.key,
    clientKeyId: key.clientKeyId ?? "",
    clientSecretKey: pair.secretKey,
  };
}

/** A request to a route handler, as Next.js hands it over. */
export function apiRequest(
  path: string,
  init: { apiKey?: string; method?: string; body?: BodyInit | null; headers?: HeadersInit } = {},
) {
  const headers = new Headers(init.headers);
  if (init.apiKey) headers.set("x-api-key", init.apiKey);
  if (init.body !== undefined && !headers.has("content-type")) {
    headers.set("content-type", "application/json");
  }
  return new NextRequest(`http://localhost${path}`, {
    method: init.method ?? "GET",
    headers,
    ...(init.body === undefined || init.body === null
      ? {}
      : { body: init.body, duplex: "half" as const }),
  });
}

/** Route params as Next.js passes them (already decoded). */
export const routeParams = <P extends Record<string, string>>(params: P) => ({
  params: Promise.resolve(params),
});

let tenantTables: Promise<string[]> | undefined;

/** The tables that hold tenant rows (they have a tenant_id column). */
function tablesWithTenantId(): Promise<string[]> {
  tenantTables ??= getDb()
    .execute(
      sql`select table_name from information_schema.columns
          where table_schema = 'public' and column_name = 'tenant_id' order by table_name`,
    )
    .then((r) => rowsOf<{ table_name: string }>(r).map((row) => row.table_name));
  return tenantTables;
}

/**
 * Everything the tenant has, one digest per table (an API key's last_used_at is left out: it
 * is recorded on authentication, which is not a write the input asked for), plus the global
 * row counts of users and tenants, so that a refused input creating anything shows.
 */
export async function snapshot(tenantId: string): Promise<Record<string, string>> {
  const parts = (await tablesWithTenantId()).map((table) => {
    const row = table === "api_keys" ? sql`(to_jsonb(t) - 'last_used_at')::text` : sql`t::text`;
    return sql`select ${table}::text as name, count(*)::int || ':' ||
        coalesce(md5(string_agg(${row}, '|' order by ${row})), '') as digest
      from ${sql.identifier(table)} t where t.tenant_id = ${tenantId}`;
  });
  parts.push(
    sql`select 'tenant' as name, md5(t::text) as digest from tenants t where t.id = ${tenantId}`,
    sql`select 'users' as name, count(*)::text as digest from users`,
    sql`select 'tenants' as name, count(*)::text as digest from tenants`,
  );
  const rows = rowsOf<{ name: string; digest: string }>(
    await getDb().execute(sql.join(parts, sql` union all `)),
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}
