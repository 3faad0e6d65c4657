import "server-only";
import { getSignedCheckpointOrThrow } from "@/lib/features/audit/checkpoints";
import { and, eq, inArray, sql } from "drizzle-orm";
import { fetch as undiciFetch } from "undici";
import { getDb, rowsOf, type Tx } from "@/db";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import {
  integrations,
  tenants,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEvents,
  type Integration,
} from "@/db/schema";
import { getClientKey } from "@/lib/platform/keys/client-keys";
import { fromB64 } from "@/lib/shared/crypto/bytes";
import { deriveHmacKey, sealEnvelope } from "@/lib/shared/crypto/envelope-format";
import { serverBackend } from "@/lib/platform/crypto/server-backend";
import { currentTenantKeyCached, withSecretKey } from "@/lib/platform/keys/tenant-keys";
import { env } from "@/lib/platform/config/env";
import { notFound } from "@/lib/platform/errors/app-error";
import { logger } from "@/lib/platform/log/logger";
import { metrics } from "@/lib/platform/observability/metrics";
import type { Acting } from "@/lib/platform/request-context/acting";
import { forwardSecretBinding, webhookRequestBinding } from "@/lib/platform/sealing/bindings";
import { openForTenant, sealForTenant } from "@/lib/platform/sealing/store";
import { forwardDispatcher, forwardUrlProblem, deploymentMode } from "@/lib/platform/http/ssrf";
import {
  disableEndpoint,
  endpointDelivered,
  endpointFailed,
  type ForwardEndpoint,
} from "./endpoint-health";
import { retryAfterSeconds } from "./retry-after";
import { newForwardSecret, standardWebhookHeaders } from "./standard-webhooks";

// Durable forwarding from a job queue in PostgreSQL. Workers claim due rows with FOR UPDATE
// SKIP LOCKED and a 60 s lease; a worker that is stopped hands its deliveries in flight back
// (processDueDeliveries' shutdown signal), one that dies mid-delivery leaves the lease to run
// out, and the row is delivered again (the receiver de-duplicates by X-PQSeal-Event-Id, which
// is also the envelope's request_id and the Standard Webhooks `webhook-id`). Retries back off
// exponentially with ±20 % jitter, or wait what a 429/503's Retry-After asks (at most a day);
// after the last attempt the delivery is dead-lettered until an admin replays it. A receiver
// that answers 410 Gone, or fails for too long, is disabled (endpoint-health.ts).
const BACKOFF_SECONDS = [10, 60, 300, 1800, 7200, 21600, 43200, 86400];
const MAX_ATTEMPTS = BACKOFF_SECONDS.length + 1;
const LEASE_SECONDS = 60;

type Claimed = {
  id: string;
  tenant_id: string;
  event_id: string | null;
  checkpoint_id: string | null;
  attempts: number;
};

/** Claims up to `limit` due deliveries (lease), oldest first; safe across instances. */
export async function claimDue(limit = 10) {
  return rowsOf<Claimed>(
    await getDb().execute(sql`
      update webhook_deliveries d
      set locked_until = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = d.attempts + 1
      where d.id in (
        select id from webhook_deliveries
        where state = 'pending' and next_attempt_at <= now()
          and (locked_until is null or locked_until < now())
        order by next_attempt_at
        limit ${limit}
        for update skip locked)
      returning d.id, d.tenant_id, d.event_id, d.checkpoint_id, d.attempts`),
  );
}

/**
 * One pass of the worker: claim, deliver, record. Returns how many were attempted. `shutdown`
 * aborted (the process is stopping) interrupts the requests still in flight and hands their
 * deliveries back at once (lease released, the attempt not counted), for another worker to take;
 * an attempt that failed otherwise in the meantime (the receiver answered 5xx) is counted.
 */
export async function processDueDeliveries(limit = 10, shutdown?: AbortSignal): Promise<number> {
  const claimed = await claimDue(limit);
  await Promise.all(claimed.map((d) => deliver(d, shutdown)));
  return claimed.length;
}

type Delivery = {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The integration's endpoint, for event deliveries (checkpoint URLs are never disabled). */
  endpoint?: ForwardEndpoint;
};

/**
 * A webhook event: its envelope, to the integration's forward URL, signed as Standard Webhooks
 * with every active forwarding secret; null when forwarding to the integration is disabled.
 */
async function eventDelivery(d: Claimed, eventId: string): Promise<Delivery | null> {
  const [row] = await getDb()
    .select({ event: webhookEvents, integration: integrations })
    .from(webhookEvents)
    .innerJoin(integrations, eq(integrations.id, webhookEvents.integrationId))
    .where(
      and(
        eq(webhookEvents.tenantId, d.tenant_id),
        eq(integrations.tenantId, d.tenant_id),
        eq(webhookEvents.id, eventId),
      ),
    );
  if (!row?.integration.forwardUrl) throw new Error("forwarding is no longer configured");
  if (row.integration.forwardDisabledAt) return null;
  const secrets = await forwardSecrets(row.integration);
  // During a rotation's grace the envelope's HMAC stays keyed by the previous secret, the one
  // every receiver already holds (one envelope carries one HMAC); the new one from its end.
  const envelope = await forwardEnvelope(row.integration, row.event, secrets.at(-1) ?? "");
  const body = JSON.stringify(envelope);
  return {
    url: row.integration.forwardUrl,
    headers: {
      "x-pqseal-event-id": row.event.id,
      ...standardWebhookHeaders(row.event.id, body, secrets),
    },
    body,
    endpoint: {
      tenantId: d.tenant_id,
      integrationId: row.integration.id,
      failingSince: row.integration.forwardFailingSince,
    },
  };
}

/**
 * A signed audit checkpoint, as it is (its ML-DSA-65 signature is its integrity), to the
 * tenant's checkpoint forward URL: a copy outside the database owner's reach, so deleting
 * checkpoints (and the chain behind them) from the database can be shown.
 */
async function checkpointDelivery(d: Claimed, checkpointId: string): Promise<Delivery> {
  const [tenant] = await getDb()
    .select({ url: tenants.checkpointForwardUrl })
    .from(tenants)
    .where(eq(tenants.id, d.tenant_id));
  if (!tenant?.url) throw new Error("checkpoint forwarding is no longer configured");
  const checkpoint = await getSignedCheckpointOrThrow({ tenantId: d.tenant_id, id: checkpointId });
  return {
    url: tenant.url,
    headers: { "x-pqseal-checkpoint-id": checkpoint.id },
    body: JSON.stringify({ type: "pqseal-audit-checkpoint", ...checkpoint }),
  };
}

async function deliver(d: Claimed, shutdown?: AbortSignal) {
  const started = Date.now();
  let statusCode: number | null = null;
  let retryAfter: number | null = null;
  let error: string | null = null;
  let interrupted = false;
  let endpoint: ForwardEndpoint | undefined;
  let disabled = false;
  try {
    const delivery = d.checkpoint_id
      ? await checkpointDelivery(d, d.checkpoint_id)
      : await eventDelivery(d, d.event_id ?? "");
    if (!delivery) {
      disabled = true;
      return;
    }
    endpoint = delivery.endpoint;
    const problem = forwardUrlProblem(delivery.url);
    if (problem) throw new Error(`forward URL ${problem}`);
    const response = await undiciFetch(delivery.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...delivery.headers,
        "x-pqseal-delivery-attempt": String(d.attempts),
        "user-agent": "PQSeal-Webhook-Forwarder/1",
      },
      body: delivery.body,
      redirect: "manual",
      signal: AbortSignal.any([
        AbortSignal.timeout(env().FORWARD_TIMEOUT_MS),
        ...(shutdown ? [shutdown] : []),
      ]),
      dispatcher: forwardDispatcher(deploymentMode()),
    });
    statusCode = response.status;
    if (statusCode === 429 || statusCode === 503)
      retryAfter = retryAfterSeconds(response.headers.get("retry-after"));
    // The answer is in: a shutdown aborting the unread body now changes nothing.
    await response.body?.cancel().catch(() => undefined);
    if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
  } catch (e) {
    // Only the shutdown's own abort of a request not yet answered is an interruption; anything
    // else that failed while the process was stopping (a timeout, a refused URL) is an attempt
    // like any other, as is an answer (a 5xx) that came in before the abort.
    interrupted = statusCode === null && shutdown?.aborted === true && isAbortBy(e, shutdown);
    error =
      e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : "failed";
  } finally {
    // Forwarding to the integration is disabled: nothing was sent, nothing to record.
    if (disabled) await stopDelivery(d);
  }
  const delivered = error === null;
  if (interrupted) {
    await releaseLease(d);
    return;
  }
  const gone = statusCode === 410 && endpoint !== undefined;
  const dead = !delivered && (gone || d.attempts >= MAX_ATTEMPTS);
  const delay = BACKOFF_SECONDS[Math.min(d.attempts - 1, BACKOFF_SECONDS.length - 1)] ?? 86400;
  const wait = retryAfter ?? delay * (0.8 + Math.random() * 0.4);
  await getDb().transaction(async (tx) => {
    await tx.insert(webhookDeliveryAttempts).values({
      tenantId: d.tenant_id,
      deliveryId: d.id,
      attempt: d.attempts,
      statusCode,
      error: error?.slice(0, 300) ?? null,
      durationMs: Date.now() - started,
    });
    await tx
      .update(webhookDeliveries)
      .set({
        state: delivered ? "delivered" : dead ? "dead" : "pending",
        lastStatus: statusCode,
        lastError: error?.slice(0, 300) ?? null,
        lockedUntil: null,
        ...(delivered ? { deliveredAt: new Date() } : {}),
        ...(!delivered && !dead ? { nextAttemptAt: new Date(Date.now() + wait * 1000) } : {}),
      })
      .where(and(eq(webhookDeliveries.tenantId, d.tenant_id), eq(webhookDeliveries.id, d.id)));
    if (!endpoint) return;
    if (delivered) await endpointDelivered(tx, endpoint);
    else if (gone) await disableEndpoint(tx, endpoint, "receiver_gone", { status: 410 });
    else await endpointFailed(tx, endpoint, statusCode);
  });
  metrics().forwardAttempts.inc({ outcome: delivered ? "delivered" : dead ? "dead" : "retry" });
  if (!delivered)
    logger().info({ delivery: d.id, attempt: d.attempts, dead, error }, "forward failed");
}

/**
 * A delivery whose integration's forwarding is disabled: dead-lettered unsent (replayable once
 * an admin re-enables it), the claim not counted as an attempt.
 */
async function stopDelivery(d: Claimed) {
  await getDb()
    .update(webhookDeliveries)
    .set({
      state: "dead",
      lastError: "forwarding disabled",
      lockedUntil: null,
      attempts: d.attempts - 1,
    })
    .where(and(eq(webhookDeliveries.tenantId, d.tenant_id), eq(webhookDeliveries.id, d.id)));
}

/**
 * How many deliveries are in `state` across all tenants (pending: the queue, dead: the dead
 * letters), for the scrape-time gauges; one count on the (state, next_attempt_at) index.
 */
export async function deliveriesIn(state: "pending" | "dead"): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await getDb().execute(
      sql`select count(*)::int as n from webhook_deliveries where state = ${state}`,
    ),
  );
  return Number(row?.n ?? 0);
}

/** Whether `error` is `signal`'s abort (fetch rejects with the signal's reason, as it is). */
const isAbortBy = (error: unknown, signal: AbortSignal) =>
  error === signal.reason || (error instanceof Error && error.cause === signal.reason);

/**
 * Gives an interrupted delivery back: due at once for any worker, this attempt not counted
 * (the receiver may have had it; it de-duplicates by the event id). Only while the lease is
 * still this worker's: a delivery claimed again since then has a higher attempt count.
 */
async function releaseLease(d: Claimed) {
  await getDb()
    .update(webhookDeliveries)
    .set({ lockedUntil: null, attempts: d.attempts - 1 })
    .where(
      and(
        eq(webhookDeliveries.tenantId, d.tenant_id),
        eq(webhookDeliveries.id, d.id),
        eq(webhookDeliveries.state, "pending"),
        eq(webhookDeliveries.attempts, d.attempts),
      ),
    );
  logger().info({ delivery: d.id }, "forward interrupted by shutdown; delivery handed back");
}

/** The envelope a forward URL receives: the accepted request, for the configured client key. */
async function forwardEnvelope(
  integration: Integration,
  event: typeof webhookEvents.$inferSelect,
  hmacSecret: string,
) {
  if (!integration.forwardClientKeyId) {
    throw new Error("no forwarding key: generate one on the integration page");
  }
  const [clientKey, backend, signingKey] = await Promise.all([
    getClientKey(integration.tenantId, integration.forwardClientKeyId),
    serverBackend(),
    currentTenantKeyCached(integration.tenantId, "signing"),
  ]);
  if (!clientKey || clientKey.revokedAt) throw new Error("forwarding key missing");
  const request = await openForTenant(
    "webhookRequest",
    webhookRequestBinding(integration.tenantId, event.id),
    { sealed: event.sealedRequest, vaultKeyId: event.vaultKeyId },
  );
  const hmacKey = deriveHmacKey(backend, hmacSecret, integration.tenantId);
  try {
    return await withSecretKey(signingKey, "signing", (secretKey) =>
      sealEnvelope(backend, {
        tenantId: integration.tenantId,
        requestId: event.id,
        issuedAt: new Date(),
        auditEventId: event.auditEventId,
        success: true,
        recipient: { keyId: clientKey.id, publicKey: fromB64(clientKey.publicKey) },
        signer: { keyId: signingKey.id, secretKey },
        hmacKey,
        payload: {
          data: {
            event_id: event.id,
            integration_id: integration.id,
            kind: event.kind,
            received_at: event.receivedAt.toISOString(),
            request,
          },
        },
      }),
    );
  } finally {
    hmacKey.fill(0);
  }
}

/**
 * The integration's active forwarding secrets, newest first: the current one, and the previous
 * one while its grace lasts. Both are sealed with the same binding (they are the same kind of
 * value for the same integration), so a rotation moves the current one across unopened.
 */
async function forwardSecrets(integration: Integration): Promise<string[]> {
  const binding = forwardSecretBinding(integration.tenantId, integration.id);
  const open = async (sealed: string | null, vaultKeyId: string | null) =>
    sealed && vaultKeyId
      ? ((await openForTenant("forwardSecret", binding, { sealed, vaultKeyId })).secret ?? "")
      : "";
  const inGrace = (integration.forwardPreviousValidUntil?.getTime() ?? 0) > Date.now();
  const [current, previous] = await Promise.all([
    open(integration.forwardSecretSealed, integration.forwardSecretVaultKeyId),
    inGrace
      ? open(integration.forwardPreviousSecretSealed, integration.forwardPreviousSecretVaultKeyId)
      : "",
  ]);
  if (!current) throw new Error("no forwarding key: generate one on the integration page");
  return previous ? [current, previous] : [current];
}

/** The audit event of a forwarding change, written in the change's own transaction. */
function auditForwardingChange(
  tx: Tx,
  acting: Acting,
  integrationId: string,
  details: Record<string, unknown>,
) {
  return recordAudit(tx, acting, {
    action: "integration.updated",
    outcome: "succeeded",
    integrationId,
    target: { type: "integration", id: integrationId },
    details,
  });
}

/** How long a regenerated secret's predecessor keeps signing, unless the admin says otherwise. */
const DEFAULT_FORWARD_GRACE_HOURS = 24;

/**
 * Generates the integration's forwarding secret (shown once) and binds the client key the
 * forwarded envelopes are encrypted to; audited in the same transaction. The secret it replaces
 * keeps signing for `graceHours` (0: stops at once, for a leaked secret). Returns the secret.
 */
export async function configureForwarding(
  acting: Acting,
  integrationId: string,
  clientKeyId: string,
  { graceHours = DEFAULT_FORWARD_GRACE_HOURS }: { graceHours?: number } = {},
) {
  const { tenantId } = acting;
  const clientKey = await getClientKey(tenantId, clientKeyId);
  if (!clientKey || clientKey.revokedAt) throw notFound("Client key");
  const secret = newForwardSecret();
  await getDb().transaction(async (tx) => {
    const scope = and(eq(integrations.tenantId, tenantId), eq(integrations.id, integrationId));
    const [current] = await tx
      .select({
        sealed: integrations.forwardSecretSealed,
        vaultKeyId: integrations.forwardSecretVaultKeyId,
      })
      .from(integrations)
      .where(scope)
      .for("update");
    if (!current) throw notFound("Integration");
    const { sealed, vaultKeyId } = await sealForTenant(
      "forwardSecret",
      forwardSecretBinding(tenantId, integrationId),
      { secret },
      tx,
    );
    const keep = graceHours > 0 && current.sealed !== null && current.vaultKeyId !== null;
    const validUntil = keep ? new Date(Date.now() + graceHours * 3600_000) : null;
    await tx
      .update(integrations)
      .set({
        forwardClientKeyId: clientKeyId,
        forwardSecretSealed: sealed,
        forwardSecretVaultKeyId: vaultKeyId,
        forwardPreviousSecretSealed: keep ? current.sealed : null,
        forwardPreviousSecretVaultKeyId: keep ? current.vaultKeyId : null,
        forwardPreviousValidUntil: validUntil,
      })
      .where(scope);
    await auditForwardingChange(tx, acting, integrationId, {
      forward_client_key_id: clientKeyId,
      forward_hmac_key: "regenerated",
      previous_key_valid_until: validUntil?.toISOString() ?? null,
    });
  });
  return secret;
}

/**
 * Replays one delivery of the integration, or every dead-lettered one: due now, attempts
 * reset, audited in the same transaction. Returns how many deliveries were queued again.
 */
export async function replayDeliveries(acting: Acting, integrationId: string, deliveryId?: string) {
  const { tenantId } = acting;
  return getDb().transaction(async (tx) => {
    const ids = (
      await tx
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
        .where(
          and(
            eq(webhookDeliveries.tenantId, tenantId),
            eq(webhookEvents.tenantId, tenantId),
            eq(webhookEvents.integrationId, integrationId),
            deliveryId ? eq(webhookDeliveries.id, deliveryId) : eq(webhookDeliveries.state, "dead"),
          ),
        )
    ).map((r) => r.id);
    const updated =
      ids.length === 0
        ? []
        : await tx
            .update(webhookDeliveries)
            .set({ state: "pending", attempts: 0, nextAttemptAt: new Date(), lockedUntil: null })
            .where(
              and(eq(webhookDeliveries.tenantId, tenantId), inArray(webhookDeliveries.id, ids)),
            )
            .returning({ id: webhookDeliveries.id });
    await auditForwardingChange(tx, acting, integrationId, {
      webhook_replay: deliveryId ?? "all_dead_lettered",
      deliveries: updated.length,
    });
    return updated.length;
  });
}
