import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { apiKeys, credentials, integrations, type AuditEventRow } from "@/db/schema";

/** What an event's page links to, by id, with the names people know them by. */
export interface RelatedNames {
  integrations: Record<string, string>;
  credentials: Record<string, string>;
  apiKeys: Record<string, { name: string; prefix: string }>;
}

const idsOf = (...values: unknown[]) => [
  ...new Set(values.filter((v): v is string => typeof v === "string" && v.length > 0)),
];

/**
 * The names of the integration, credential and API key an event mentions (as its actor,
 * target, integration or in its details), read in this tenant only: an id from another
 * tenant, or of something since deleted, has no name and is shown as its id.
 */
export async function relatedNames(tenantId: string, row: AuditEventRow): Promise<RelatedNames> {
  const target = (type: string) => (row.targetType === type ? row.targetId : null);
  const integrationIds = idsOf(row.integrationId, target("integration"));
  const credentialIds = idsOf(row.details.credential_id, target("credential"));
  const keyIds = idsOf(row.actorType === "api_key" ? row.actorId : null, target("api_key"));
  const db = getDb();
  const [ints, creds, keys] = await Promise.all([
    integrationIds.length
      ? db
          .select({ id: integrations.id, name: integrations.name })
          .from(integrations)
          .where(and(eq(integrations.tenantId, tenantId), inArray(integrations.id, integrationIds)))
      : [],
    credentialIds.length
      ? db
          .select({ id: credentials.id, name: credentials.name })
          .from(credentials)
          .where(and(eq(credentials.tenantId, tenantId), inArray(credentials.id, credentialIds)))
      : [],
    keyIds.length
      ? db
          .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix })
          .from(apiKeys)
          .where(and(eq(apiKeys.tenantId, tenantId), inArray(apiKeys.id, keyIds)))
      : [],
  ]);
  return {
    integrations: Object.fromEntries(ints.map((i) => [i.id, i.name])),
    credentials: Object.fromEntries(creds.map((c) => [c.id, c.name])),
    apiKeys: Object.fromEntries(keys.map((k) => [k.id, { name: k.name, prefix: k.prefix }])),
  };
}
