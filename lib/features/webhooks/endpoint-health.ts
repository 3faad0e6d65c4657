import "server-only";
import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { integrations, webhookDeliveries, webhookEvents } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { env } from "@/lib/platform/config/env";
import { notFound } from "@/lib/platform/errors/app-error";
import { logger } from "@/lib/platform/log/logger";
import { systemActing, type Acting } from "@/lib/platform/request-context/acting";

// Whether an integration's forward endpoint is still worth sending to. A receiver that answers
// 410 Gone, or that has failed every attempt for FORWARD_DISABLE_AFTER_HOURS, is disabled: its
// pending deliveries are dead-lettered (replayable), later ones are dead-lettered unsent, and an
// admin is told (audit event, Webhooks page) until they re-enable it.

/** Why forwarding stopped (integrations.forward_disabled_reason). */
type DisabledReason = "receiver_gone" | "failing_too_long";

/** The integration whose endpoint a delivery went to, as the worker loaded it. */
export type ForwardEndpoint = {
  tenantId: string;
  integrationId: string;
  failingSince: Date | null;
};

/** A delivered attempt: the endpoint works, its failure clock stops. */
export async function endpointDelivered(tx: Tx, endpoint: ForwardEndpoint) {
  if (!endpoint.failingSince) return;
  await tx
    .update(integrations)
    .set({ forwardFailingSince: null })
    .where(
      and(
        eq(integrations.tenantId, endpoint.tenantId),
        eq(integrations.id, endpoint.integrationId),
      ),
    );
}

/**
 * A failed attempt (`status` null when no answer came): the failure clock starts, if it was not
 * running, and the endpoint is disabled once it has run longer than FORWARD_DISABLE_AFTER_HOURS.
 */
export async function endpointFailed(tx: Tx, endpoint: ForwardEndpoint, status: number | null) {
  // The row is written only when the clock starts: every write of an integration row changes
  // its version, which makes the proxy's cached copy stale (docs/decisions/0009).
  let since = endpoint.failingSince;
  if (!since) {
    const [row] = await tx
      .update(integrations)
      .set({ forwardFailingSince: sql`now()` })
      .where(
        and(
          eq(integrations.tenantId, endpoint.tenantId),
          eq(integrations.id, endpoint.integrationId),
          isNull(integrations.forwardDisabledAt),
          isNull(integrations.forwardFailingSince),
        ),
      )
      .returning({ since: integrations.forwardFailingSince });
    since = row?.since ?? null;
  }
  const limit = env().FORWARD_DISABLE_AFTER_HOURS * 3600_000;
  if (since && Date.now() - since.getTime() >= limit) {
    await disableEndpoint(tx, endpoint, "failing_too_long", {
      status,
      failing_since: since.toISOString(),
    });
  }
}

/**
 * Stops forwarding for the integration: disabled with its reason, pending deliveries
 * dead-lettered, audited as PQSeal acting. Only the first of concurrent workers records it.
 */
export async function disableEndpoint(
  tx: Tx,
  endpoint: ForwardEndpoint,
  reason: DisabledReason,
  details: Record<string, unknown>,
) {
  const { tenantId, integrationId } = endpoint;
  const [disabled] = await tx
    .update(integrations)
    .set({ forwardDisabledAt: new Date(), forwardDisabledReason: reason })
    .where(
      and(
        eq(integrations.tenantId, tenantId),
        eq(integrations.id, integrationId),
        isNull(integrations.forwardDisabledAt),
      ),
    )
    .returning({ id: integrations.id });
  if (!disabled) return;
  const stopped = await stopPendingDeliveries(tx, endpoint);
  await recordAudit(tx, systemActing(tenantId), {
    action: "webhook.forward_disabled",
    outcome: "succeeded",
    integrationId,
    target: { type: "integration", id: integrationId },
    details: { reason, ...details, deliveries_stopped: stopped },
  });
  logger().warn({ tenant: tenantId, integration: integrationId, reason }, "forwarding disabled");
}

/** Dead-letters the integration's pending deliveries (an admin replays them after re-enabling). */
async function stopPendingDeliveries(tx: Tx, { tenantId, integrationId }: ForwardEndpoint) {
  const stopped = await tx
    .update(webhookDeliveries)
    .set({ state: "dead", lastError: "forwarding disabled", lockedUntil: null })
    .where(
      and(
        eq(webhookDeliveries.tenantId, tenantId),
        eq(webhookDeliveries.state, "pending"),
        inArray(
          webhookDeliveries.eventId,
          tx
            .select({ id: webhookEvents.id })
            .from(webhookEvents)
            .where(
              and(
                eq(webhookEvents.tenantId, tenantId),
                eq(webhookEvents.integrationId, integrationId),
              ),
            ),
        ),
      ),
    )
    .returning({ id: webhookDeliveries.id });
  return stopped.length;
}

/**
 * Re-enables forwarding to the integration's endpoint (failure clock reset), audited. Returns
 * false when it was not disabled. Deliveries stopped meanwhile stay dead-lettered for replay.
 */
export async function enableForwarding(acting: Acting, integrationId: string) {
  const { tenantId } = acting;
  return getDb().transaction(async (tx) => {
    const scope = and(eq(integrations.tenantId, tenantId), eq(integrations.id, integrationId));
    const [row] = await tx
      .select({ reason: integrations.forwardDisabledReason })
      .from(integrations)
      .where(scope)
      .for("update");
    if (!row) throw notFound("Integration");
    const [enabled] = await tx
      .update(integrations)
      .set({ forwardDisabledAt: null, forwardDisabledReason: null, forwardFailingSince: null })
      .where(and(scope, isNotNull(integrations.forwardDisabledAt)))
      .returning({ id: integrations.id });
    if (!enabled) return false;
    await recordAudit(tx, acting, {
      action: "webhook.forward_enabled",
      outcome: "succeeded",
      integrationId,
      target: { type: "integration", id: integrationId },
      details: { previous_reason: row.reason },
    });
    return true;
  });
}
