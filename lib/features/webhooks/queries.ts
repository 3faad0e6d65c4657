import "server-only";
import { and, desc, eq, gt, inArray, isNotNull, or } from "drizzle-orm";
import { getDb } from "@/db";
import {
  integrations,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEvents,
} from "@/db/schema";
import { env } from "@/lib/platform/config/env";
import {
  encodeCursor,
  keysetAt,
  keysetBefore,
  mapPage,
  toPage,
  type PageQuery,
} from "@/lib/platform/http/pagination";
import { WEBHOOK_KINDS } from "./intake";

/** The URLs to paste into the Twilio Console, from PUBLIC_BASE_URL or the console's own origin. */
export function intakeUrls(integrationId: string, requestOrigin: string) {
  const base = (env().PUBLIC_BASE_URL ?? requestOrigin).replace(/\/+$/, "");
  return WEBHOOK_KINDS.map((kind) => ({
    kind,
    url: `${base}/api/v2/webhooks/twilio/${integrationId}/${kind}`,
  }));
}

/** Recent accepted events with their delivery and its attempts (no payloads, no numbers). */
export async function recentEvents(tenantId: string, integrationId: string, limit = 25) {
  const rows = await getDb()
    .select({ event: webhookEvents, delivery: webhookDeliveries })
    .from(webhookEvents)
    .leftJoin(
      webhookDeliveries,
      and(
        eq(webhookDeliveries.eventId, webhookEvents.id),
        eq(webhookDeliveries.tenantId, tenantId),
      ),
    )
    .where(
      and(eq(webhookEvents.tenantId, tenantId), eq(webhookEvents.integrationId, integrationId)),
    )
    .orderBy(desc(webhookEvents.receivedAt))
    .limit(limit);
  const deliveryIds = rows.flatMap((r) => (r.delivery ? [r.delivery.id] : []));
  const attempts = deliveryIds.length
    ? await getDb()
        .select()
        .from(webhookDeliveryAttempts)
        .where(
          and(
            eq(webhookDeliveryAttempts.tenantId, tenantId),
            inArray(webhookDeliveryAttempts.deliveryId, deliveryIds),
          ),
        )
        .orderBy(webhookDeliveryAttempts.attempt)
    : [];
  return rows.map((r) => ({
    ...r,
    attempts: attempts.filter((a) => a.deliveryId === r.delivery?.id),
  }));
}

/**
 * A page of an integration's accepted events with their forwarding delivery
 * (GET /api/v2/integrations/{id}/webhook-events), newest first: no payloads, numbers only as
 * their last two digits. The caller has checked that the integration is the tenant's.
 */
export async function pageWebhookEvents(
  tenantId: string,
  integrationId: string,
  { limit, cursor }: PageQuery,
) {
  const rows = await getDb()
    .select({
      event: webhookEvents,
      delivery: webhookDeliveries,
      at: keysetAt(webhookEvents.receivedAt),
    })
    .from(webhookEvents)
    .leftJoin(
      webhookDeliveries,
      and(
        eq(webhookDeliveries.eventId, webhookEvents.id),
        eq(webhookDeliveries.tenantId, tenantId),
      ),
    )
    .where(
      and(
        eq(webhookEvents.tenantId, tenantId),
        eq(webhookEvents.integrationId, integrationId),
        keysetBefore(webhookEvents.receivedAt, webhookEvents.id, cursor),
      ),
    )
    .orderBy(desc(webhookEvents.receivedAt), desc(webhookEvents.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => encodeCursor({ at: r.at, id: r.event.id }));
  return mapPage(page, ({ event: e, delivery: d }) => ({
    id: e.id,
    integration_id: e.integrationId,
    kind: e.kind,
    validation: e.validation,
    received_at: e.receivedAt.toISOString(),
    sid: e.summary.sid,
    status: e.summary.status,
    event_type: e.summary.event_type,
    error_code: e.summary.error_code,
    from_last2: e.summary.from?.last2 ?? null,
    to_last2: e.summary.to?.last2 ?? null,
    audit_event_id: e.auditEventId,
    delivery: d
      ? {
          id: d.id,
          state: d.state,
          attempts: d.attempts,
          last_status: d.lastStatus,
          last_error: d.lastError,
          next_attempt_at: d.state === "pending" ? d.nextAttemptAt.toISOString() : null,
          delivered_at: d.deliveredAt?.toISOString() ?? null,
        }
      : null,
  }));
}

/**
 * The forwarding state of the tenant's integrations that need a word on the console: disabled
 * (and why), failing since, or a regenerated secret's predecessor still signing until.
 */
export async function forwardingStatus(tenantId: string) {
  const now = new Date();
  const rows = await getDb()
    .select({
      integrationId: integrations.id,
      name: integrations.name,
      disabledAt: integrations.forwardDisabledAt,
      disabledReason: integrations.forwardDisabledReason,
      failingSince: integrations.forwardFailingSince,
      previousValidUntil: integrations.forwardPreviousValidUntil,
    })
    .from(integrations)
    .where(
      and(
        eq(integrations.tenantId, tenantId),
        or(
          isNotNull(integrations.forwardDisabledAt),
          isNotNull(integrations.forwardFailingSince),
          gt(integrations.forwardPreviousValidUntil, now),
        ),
      ),
    );
  return rows.map((r) => ({
    ...r,
    previousValidUntil:
      r.previousValidUntil && r.previousValidUntil > now ? r.previousValidUntil : null,
  }));
}

export type ForwardingStatus = Awaited<ReturnType<typeof forwardingStatus>>[number];
