import "server-only";
import { parseInput } from "@/lib/platform/http/parse-input";
import type { Acting } from "@/lib/platform/request-context/acting";
import { outboundRequestSchema } from "./schemas";
import { getDb } from "@/db";
import type { Integration } from "@/db/schema";
import type { ApiKeyContext } from "@/lib/platform/request-context/with-api-key";
import { assertAuditable, recordAudit } from "@/lib/platform/audit/record-audit";
import type { AuditAction } from "@/lib/shared/audit-vocabulary";
import { destinationFingerprint } from "@/lib/platform/phone/fingerprint";
import { buildEnvelope, type EnvelopeCaller } from "@/lib/platform/crypto/build-envelope";
import type { HybridCryptoEnvelope } from "@/lib/shared/crypto/envelope-format";
import { currentTenantKeyCached } from "@/lib/platform/keys/tenant-keys";
import { AppError, notFound, type ErrorCode } from "@/lib/platform/errors/app-error";
import { findIntegration } from "@/lib/features/integrations/queries";
import { OPERATIONS, type Operation } from "@/lib/features/integrations/schemas";
import { unsealCredential } from "@/lib/features/vault/service";
import { withBreaker } from "./breaker";
import { releaseClaim, replayOrClaim, requestHash, type Scope } from "./idempotency";
import { recordOrSpool } from "./record-outcome";
import { takeToken, takeWindowSlot } from "./limits";
import { prepare, sidOf, statusOf, type Prepared } from "./operations";
import { twilioClientFor } from "./twilio-client";
import { isUpstreamFailure, mapTwilioError, type TwilioFailure } from "./twilio-errors";
import { metrics, secondsSince } from "@/lib/platform/observability/metrics";
import { inSpan, markError } from "@/lib/platform/observability/tracing";

const SENDS: Operation[] = ["send_sms", "make_call", "create_verification"];

/** Who calls the proxy: an API key over HTTP, or a member through the test console. */
export type ProxyCaller = Acting & EnvelopeCaller & Pick<ApiKeyContext, "keyId">;

export type ProxyOutcome = { status: number; envelope: HybridCryptoEnvelope; replayed: boolean };

type OutboundOptions = {
  requestId: string;
  idempotencyKey: string | null;
  recipient: { keyId: string; publicKey: Uint8Array };
};

/** The operation as a metric label: one of OPERATIONS, or "unknown" (never caller text). */
function operationLabel(input: unknown): string {
  const operation = (input as { operation?: unknown } | null)?.operation;
  return (OPERATIONS as readonly unknown[]).includes(operation) ? String(operation) : "unknown";
}

/** How a proxied request ended, for pqseal_proxy_requests_total and the span. */
function outcomeOf(result: ProxyOutcome | null, error: unknown): [outcome: string, status: number] {
  if (result) {
    if (result.replayed) return ["replayed", result.status];
    return [result.status < 400 ? "succeeded" : "twilio_failed", result.status];
  }
  if (!(error instanceof AppError)) return ["error", 500];
  if (error.code === "upstream_unavailable") return ["unavailable", error.status];
  if (error.code === "audit_pending") return ["audit_pending", error.status];
  return [error.status < 500 ? "refused" : "error", error.status];
}

/**
 * The proxy pipeline (outbound, below) in a `pqseal.proxy` span, counted and timed by operation
 * and outcome. The span is the parent of the pipeline's database and Twilio spans.
 */
export async function runOutbound(
  input: unknown,
  ctx: ProxyCaller,
  options: OutboundOptions,
): Promise<ProxyOutcome> {
  const operation = operationLabel(input);
  const startedAt = performance.now();
  return inSpan("pqseal.proxy", { "pqseal.operation": operation }, async (span) => {
    let result: ProxyOutcome | null = null;
    let failure: unknown = null;
    try {
      result = await outbound(input, ctx, options);
      return result;
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      const [outcome, status] = outcomeOf(result, failure);
      span.setAttributes({ "pqseal.outcome": outcome, "http.response.status_code": status });
      metrics().proxyRequests.inc({ operation, outcome });
      metrics().proxyDuration.observe({ operation, outcome }, secondsSince(startedAt));
    }
  });
}

/**
 * One Twilio call in a `pqseal.twilio` span (operation, result, Twilio's status and error code),
 * counted by code and timed. Twilio's failures are answered, not thrown (mapTwilioError).
 */
async function callTwilio(
  operation: Operation,
  call: () => Promise<unknown>,
): Promise<{ answer: unknown; failure: TwilioFailure | null }> {
  const startedAt = performance.now();
  return inSpan("pqseal.twilio", { "pqseal.operation": operation }, async (span) => {
    let answer: unknown;
    let failure: TwilioFailure | null = null;
    try {
      answer = await call();
    } catch (error) {
      failure = mapTwilioError(error);
    }
    const code = failure?.error.code ?? "ok";
    const result = !failure ? "ok" : isUpstreamFailure(failure) ? "upstream_failure" : "refused";
    span.setAttribute("pqseal.twilio.result", result);
    if (failure) {
      markError(span, code);
      span.setAttribute("twilio.error_code", code);
      if (failure.error.twilio_status) {
        span.setAttribute("http.response.status_code", failure.error.twilio_status);
      }
    }
    metrics().twilioRequests.inc({ operation, result, code });
    metrics().twilioDuration.observe({ operation }, secondsSince(startedAt));
    return { answer, failure };
  });
}

/**
 * The pipeline, in order: (key, by the caller) -> integration in the caller's tenant (else 404)
 * -> enabled -> operation allowed (else 403, audited) -> payload (zod + E.164) -> sender (the
 * integration's own, else 403, audited) -> geo permission (audited) -> idempotency -> abuse
 * limits -> circuit breaker -> unseal -> Twilio -> audit event -> envelope encrypted to
 * `recipient`.
 */
async function outbound(
  input: unknown,
  ctx: ProxyCaller,
  options: OutboundOptions,
): Promise<ProxyOutcome> {
  const { requestId, idempotencyKey, recipient } = options;
  const body = parseInput(outboundRequestSchema, input);
  const integration = await findIntegration(ctx.tenantId, body.integration_id);
  if (!integration) throw notFound("Integration");
  if (!(OPERATIONS as readonly string[]).includes(body.operation)) {
    throw new AppError(
      "invalid_input",
      `Unknown operation "${body.operation.slice(0, 40)}". Supported: ${OPERATIONS.join(", ")}.`,
    );
  }
  const operation = body.operation as Operation;
  const deny = (code: ErrorCode, message: string, remediation: string, destination?: string) =>
    denied(ctx, integration, operation, code, message, remediation, destination);
  if (!integration.enabled) {
    return deny("integration_disabled", "This integration is disabled.", "An admin can enable it.");
  }
  if (!integration.allowedOperations.includes(operation)) {
    return deny(
      "operation_not_allowed",
      `The operation ${operation} is not allowed on this integration.`,
      "An admin can add it to the integration's allowed operations.",
    );
  }
  const prepared = prepare(operation, body.payload, integration);
  if (prepared.senderRefused) {
    return deny(
      "sender_not_allowed",
      prepared.senderRefused,
      "Leave from and messaging_service_sid out to send from the integration's own sender; an admin configures it (default_from, messaging_service_sid).",
    );
  }
  const destination = prepared.destination;
  if (destination && SENDS.includes(operation)) {
    const country = destination.country ?? "unknown";
    if (!integration.allowedCountries.includes(country)) {
      return deny(
        "destination_not_allowed",
        `Sending to ${country} is not allowed by this integration's geo permissions.`,
        "An admin can add the country to the integration's allowed destination countries.",
        destination.e164,
      );
    }
  }

  const scope: Scope | null = idempotencyKey
    ? { tenantId: ctx.tenantId, apiKeyId: ctx.keyId, key: idempotencyKey }
    : null;
  const hash = requestHash({ ...body, payload: prepared.payload });
  if (scope) {
    const stored = await replayOrClaim(scope, hash);
    if (stored) {
      const envelope = await buildEnvelope(ctx, {
        recipient,
        requestId,
        auditEventId: stored.auditEventId,
        success: stored.success,
        payload: stored.result,
      });
      return { status: stored.httpStatus, envelope, replayed: true };
    }
  }
  let reachedTwilio = false;
  try {
    await inSpan("pqseal.db.limits", { "db.system.name": "postgresql" }, () =>
      enforceLimits(ctx, integration, operation, prepared),
    );
    // The whole attempt runs through the breaker, so a half-open trial ends however it exits
    // (a KMS or unsealing failure included), not only when Twilio answers.
    const { event, result, failure } = await withBreaker(integration.credentialId, async () => {
      const [credential] = await unsealCredential(ctx, integration.credentialId, {
        reason: `proxy.${operation}`,
        audit: false,
      });
      if (!credential || credential.type === "webhook_secret") throw notFound("Credential");
      // Warm the vault key cache outside the group commit's transaction (the stored result is
      // sealed inside it; a miss there would read through the transaction).
      if (scope) await currentTenantKeyCached(ctx.tenantId, "vault");

      // Every Twilio call is audited, or not made: the event's caller-influenced part is checked
      // against the recorder's rules before Twilio is called.
      const event = {
        action: `proxy.${operation}` as AuditAction,
        integrationId: integration.id,
        ...(destination ? { destination: destination.e164 } : {}),
        details: {
          credential_id: credential.id,
          credential_version: credential.version,
          envelope_request_id: requestId,
          ...(scope ? { idempotency_key_hash: requestHash(scope.key).slice(0, 16) } : {}),
        },
      };
      assertAuditable({ ...event, outcome: "succeeded" });

      reachedTwilio = true;
      const { answer, failure } = await callTwilio(operation, () =>
        prepared.call(twilioClientFor(credential as never)),
      );
      return failure
        ? { event, result: undefined, failure, upstreamFailed: isUpstreamFailure(failure) }
        : { event, result: answer, failure: null, upstreamFailed: false };
    });
    const success = failure === null;
    const httpStatus = failure?.status ?? 200;
    const payload = success ? { data: result } : { error: failure?.error };
    const auditEventId = await recordOrSpool({
      by: { tenantId: ctx.tenantId, actor: ctx.actor, meta: ctx.meta },
      event: {
        ...event,
        outcome: success ? "succeeded" : "failed",
        ...(sidOf(result) ? { target: { type: "twilio", id: sidOf(result) ?? "" } } : {}),
        details: {
          twilio_sid: sidOf(result),
          twilio_status: statusOf(result),
          error_code: failure?.error.code ?? null,
          ...event.details,
        },
      },
      integrationId: integration.id,
      operation,
      success,
      result,
      destination: destination?.e164 ?? null,
      scope,
      httpStatus,
      payload,
    });
    const envelope = await buildEnvelope(ctx, {
      recipient,
      requestId,
      auditEventId,
      success,
      payload,
    });
    return { status: httpStatus, envelope, replayed: false };
  } catch (error) {
    // Only a key whose request never reached Twilio may be used again.
    if (scope && !reachedTwilio) await releaseClaim(scope);
    throw error;
  }
}

async function enforceLimits(
  ctx: ProxyCaller,
  integration: Integration,
  operation: Operation,
  prepared: Prepared,
) {
  await takeToken(
    ctx.tenantId,
    `key:${integration.id}:${ctx.keyId}`,
    integration.keyBurst,
    integration.keyRatePerSecond,
  );
  const target = prepared.destination
    ? destinationFingerprint(ctx.tenantId, prepared.destination.e164).hmac
    : prepared.limitKey;
  if (!target) return;
  const window = integration.destinationWindowSeconds;
  if (SENDS.includes(operation)) {
    await takeWindowSlot(
      ctx.tenantId,
      `send:${integration.id}:${target}`,
      integration.sendsPerDestination,
      window,
      "rate_limited_destination",
      `At most ${integration.sendsPerDestination} sends to one destination per ${window / 60} minutes.`,
    );
  } else if (operation === "check_verification") {
    await takeWindowSlot(
      ctx.tenantId,
      `check:${integration.id}:${target}`,
      integration.checksPerDestination,
      window,
      "rate_limited_verification_checks",
      `At most ${integration.checksPerDestination} verification checks per destination per ${window / 60} minutes; then a cooldown.`,
    );
  }
}

async function denied(
  ctx: ProxyCaller,
  integration: Integration,
  operation: Operation,
  code: ErrorCode,
  message: string,
  remediation: string,
  destination?: string,
): Promise<never> {
  await getDb().transaction((tx) =>
    recordAudit(tx, ctx, {
      action: "proxy.denied",
      outcome: "denied",
      integrationId: integration.id,
      target: { type: "integration", id: integration.id },
      ...(destination ? { destination } : {}),
      details: { operation, reason: code },
    }),
  );
  throw new AppError(code, message, { remediation });
}
