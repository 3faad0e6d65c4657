import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { webhookDeliveries, webhookDeliveryAttempts, webhookEvents } from "@/db/schema";
import { env } from "@/lib/platform/config/env";
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
