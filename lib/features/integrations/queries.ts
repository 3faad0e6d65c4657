import "server-only";
import { and, desc, eq, getTableColumns, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { getDb } from "@/db";
import { integrations, type Integration } from "@/db/schema";
import { notFound } from "@/lib/platform/errors/app-error";
import {
  encodeCursor,
  keysetAt,
  keysetBefore,
  mapPage,
  toPage,
  type Page,
  type PageQuery,
} from "@/lib/platform/http/pagination";
import { isId } from "@/lib/shared/ids";

/** The API shape of an integration (snake_case, no secrets: credentials are ids). */
export function integrationJson(i: Integration) {
  return {
    id: i.id,
    name: i.name,
    system_type: i.systemType,
    credential_id: i.credentialId,
    webhook_credential_id: i.webhookCredentialId,
    allowed_operations: i.allowedOperations,
    verify_service_sid: i.verifyServiceSid,
    default_from: i.defaultFrom,
    messaging_service_sid: i.messagingServiceSid,
    allowed_countries: i.allowedCountries,
    sends_per_destination: i.sendsPerDestination,
    checks_per_destination: i.checksPerDestination,
    destination_window_seconds: i.destinationWindowSeconds,
    key_burst: i.keyBurst,
    key_rate_per_second: i.keyRatePerSecond,
    end_user_ip_sends: i.endUserIpSends,
    end_user_id_checks: i.endUserIdChecks,
    end_user_window_seconds: i.endUserWindowSeconds,
    require_end_user: i.requireEndUser,
    line_type_check: i.lineTypeCheck,
    voip_policy: i.voipPolicy,
    line_type_cache_hours: i.lineTypeCacheHours,
    pumping_action: i.pumpingAction,
    pumping_min_volume: i.pumpingMinVolume,
    pumping_min_conversion: i.pumpingMinConversion,
    pumping_window_seconds: i.pumpingWindowSeconds,
    fallback_after_seconds: i.fallbackAfterSeconds,
    forward_url: i.forwardUrl,
    /** Set: the intake URLs need HTTP Basic credentials (the password is never shown again). */
    intake_auth_username: i.intakeAuthUsername,
    enabled: i.enabled,
    created_at: i.createdAt.toISOString(),
    updated_at: i.updatedAt.toISOString(),
  };
}

export type IntegrationJson = ReturnType<typeof integrationJson>;

/** Every integration of the tenant, newest first: the console's pages show them all. */
export async function listIntegrations(tenantId: string) {
  const rows = await getDb()
    .select()
    .from(integrations)
    .where(eq(integrations.tenantId, tenantId))
    .orderBy(desc(integrations.createdAt), desc(integrations.id));
  return rows.map(integrationJson);
}

/** A page of the tenant's integrations (GET /api/v2/integrations), newest first. */
export async function pageIntegrations(
  tenantId: string,
  { limit, cursor }: PageQuery,
): Promise<Page<IntegrationJson>> {
  const rows = await getDb()
    .select({ row: integrations, at: keysetAt(integrations.createdAt) })
    .from(integrations)
    .where(
      and(
        eq(integrations.tenantId, tenantId),
        keysetBefore(integrations.createdAt, integrations.id, cursor),
      ),
    )
    .orderBy(desc(integrations.createdAt), desc(integrations.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => encodeCursor({ at: r.at, id: r.row.id }));
  return mapPage(page, (r) => integrationJson(r.row));
}

export async function findIntegration(tenantId: string, id: string) {
  if (!isId("integration", id)) return undefined;
  const [row] = await getDb()
    .select()
    .from(integrations)
    .where(and(eq(integrations.tenantId, tenantId), eq(integrations.id, id)));
  return row;
}

/** An integration row and its version: PostgreSQL's `xmin`, which every update changes. */
export type VersionedIntegration = Integration & { version: string };

const versionedColumns = { ...getTableColumns(integrations), version: sql<string>`xmin::text` };

// Recently used integrations, for the proxy's hot path. A cached row is a claim: the proxy
// confirms its version in the statement that takes the request's rate limits and reads the
// row again before any refusal (lib/features/proxy/service.ts), so a policy change made on any
// instance applies to the next request.
const integrationRows = new LRUCache<string, VersionedIntegration>({ max: 10_000, ttl: 60_000 });

/** The integration with its version, from this process's cache when `cached`, else read. */
export async function findVersionedIntegration(
  tenantId: string,
  id: string,
  { cached = false } = {},
): Promise<VersionedIntegration | undefined> {
  if (!isId("integration", id)) return undefined;
  const name = `${tenantId}:${id}`;
  const hit = cached ? integrationRows.get(name) : undefined;
  if (hit) return hit;
  const [row] = await getDb()
    .select(versionedColumns)
    .from(integrations)
    .where(and(eq(integrations.tenantId, tenantId), eq(integrations.id, id)));
  if (row) integrationRows.set(name, row);
  else integrationRows.delete(name);
  return row;
}

/** An integration of the tenant; another tenant's id is "not found" (docs/decisions/0001). */
export async function getIntegrationOrThrow({ tenantId, id }: { tenantId: string; id: string }) {
  const row = await findIntegration(tenantId, id);
  if (!row) throw notFound("Integration");
  return integrationJson(row);
}

/**
 * The webhook intake's tenant resolution: Twilio's request names only the integration, so the
 * integration id is the lookup key and the tenant comes from the row. Everything after this
 * filters by that tenant id.
 */
export async function integrationForWebhook(id: string) {
  if (!isId("integration", id)) return undefined;
  const [row] = await getDb().select().from(integrations).where(eq(integrations.id, id));
  return row;
}
