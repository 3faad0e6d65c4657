import "server-only";
import { parseInput } from "@/lib/platform/http/parse-input";
import type { Acting } from "@/lib/platform/request-context/acting";
import { outboundRequestSchema } from "./schemas";
import type { Integration } from "@/db/schema";
import type { ApiKeyContext } from "@/lib/platform/request-context/with-api-key";
import { assertAuditable } from "@/lib/platform/audit/record-audit";
import { recordWithinBudget, REFUSAL_BUDGET } from "@/lib/platform/audit/record-within-budget";
import type { AuditAction } from "@/lib/shared/audit-vocabulary";
import { destinationFingerprint } from "@/lib/platform/phone/fingerprint";
import { buildEnvelope, type EnvelopeCaller } from "@/lib/platform/crypto/build-envelope";
import type { HybridCryptoEnvelope } from "@/lib/shared/crypto/envelope-format";
import { currentTenantKeyCached } from "@/lib/platform/keys/tenant-keys";
import { AppError, notFound, type ErrorCode } from "@/lib/platform/errors/app-error";
import {
  findVersionedIntegration,
  type VersionedIntegration,
} from "@/lib/features/integrations/queries";
import { OPERATIONS, type Operation } from "@/lib/features/integrations/schemas";
import { unsealCredential } from "@/lib/features/vault/service";
import { withBreaker } from "./breaker";
import { releaseClaim, replayOrClaim, requestHash, type Scope } from "./idempotency";
import { recordOrSpool } from "./record-outcome";
import { endUserDetails, type EndUserHashes } from "./end-user";
import {
  cachedLineType,
  judgeLineType,
  lineTypeChannel,
  lookupNumber,
  rememberLineType,
  type LineType,
  type LookupResult,
} from "./line-type";
import { takeRequestLimits, type RequestLimits, type Window } from "./limits";
import { prepare, sidOf, statusOf, type Prepared } from "./operations";
import { fallbackReason, markApproved, pumpingSignal, recordVerification } from "./pumping";
import type { ParsedPhone } from "@/lib/platform/phone/parse";
import { logger } from "@/lib/platform/log/logger";
import { twilioClientFor } from "@/lib/features/vault/twilio-client";
import {
  isUpstreamFailure,
  mapTwilioError,
  type TwilioFailure,
} from "@/lib/features/vault/twilio-errors";
import { countryLabel } from "@/lib/shared/countries";
import { metrics, secondsSince } from "@/lib/platform/observability/metrics";
import { inSpan, markError } from "@/lib/platform/observability/tracing";

const SENDS: Operation[] = ["send_sms", "make_call", "create_verification"];

/**
 * Who calls the proxy: an API key over HTTP (with the key row's version, and a way to read it
 * again), or a member through the test console (neither).
 */
export type ProxyCaller = Acting &
  EnvelopeCaller &
  Pick<ApiKeyContext, "keyId"> &
  Partial<Pick<ApiKeyContext, "keyVersion" | "confirmKey" | "keyLimits">>;

export type ProxyOutcome = {
  status: number;
  envelope: HybridCryptoEnvelope;
  replayed: boolean;
  /** The RateLimit headers of the buckets the request took from (none on a replay). */
  headers: Record<string, string>;
};

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

/** The API key as the run reads it: its row version and its own rate limit. */
type KeyState = {
  version: string | undefined;
  limits: { ratePerSecond: number; burst: number } | null;
};

/** Thrown when a row the request was decided on changed meanwhile: the pipeline runs again. */
class Stale extends Error {}

/** What one run of the pipeline decided on: the rows and the versions they were read at. */
type Basis = {
  integration: VersionedIntegration;
  /** The integration came from this process's cache (not yet confirmed). */
  integrationCached: boolean;
  keyVersion: string | undefined;
  /** The versions were confirmed by the database (the limits statement, or a re-read). */
  confirmed: boolean;
};

/**
 * Before a refusal or a replay is answered: reads the API key and the integration again, so a
 * cached row never decides a refusal (or hands a revoked key a stored result). A revoked key
 * gets 401 (confirmKey throws it); a changed row makes the pipeline run again on fresh rows.
 */
async function confirmBasis(ctx: ProxyCaller, basis: Basis | null, keyVersion?: string) {
  if (basis?.confirmed) return;
  const version = basis ? basis.keyVersion : keyVersion;
  if (ctx.confirmKey && (await ctx.confirmKey()).version !== version) throw new Stale();
  if (!basis) return;
  if (basis.integrationCached) {
    const fresh = await findVersionedIntegration(ctx.tenantId, basis.integration.id);
    if (fresh?.version !== basis.integration.version) throw new Stale();
  }
  basis.confirmed = true;
}

/**
 * The pipeline on the freshest rows this process has: from its caches first (an API key
 * caller), from the database when a cached row turned out stale. Three stale runs in a row
 * (rows changing under every attempt) end in 409.
 */
async function outbound(
  input: unknown,
  ctx: ProxyCaller,
  options: OutboundOptions,
): Promise<ProxyOutcome> {
  let key: KeyState = { version: ctx.keyVersion, limits: ctx.keyLimits ?? null };
  const cached = ctx.confirmKey !== undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await decide(input, ctx, options, key, cached && attempt === 0);
    } catch (error) {
      if (!(error instanceof Stale)) throw error;
      // The key as it is now: its version and its own limits (a rate just changed included).
      key = (await ctx.confirmKey?.()) ?? key;
    }
  }
  throw new AppError(
    "conflict",
    "The integration or the API key changed while this request was being decided.",
    { remediation: "Send the request again." },
  );
}

/** The request against the integration's policy: refusals are thrown (denials audited). */
async function checkPolicy(
  input: unknown,
  ctx: ProxyCaller,
  keyVersion: string | undefined,
  cached: boolean,
  read: { basis: Basis | null },
) {
  const body = parseInput(outboundRequestSchema, input);
  const integration = await findVersionedIntegration(ctx.tenantId, body.integration_id, {
    cached,
  });
  if (!integration) throw notFound("Integration");
  const basis: Basis = (read.basis = {
    integration,
    integrationCached: cached,
    keyVersion,
    confirmed: false,
  });
  if (!(OPERATIONS as readonly string[]).includes(body.operation)) {
    throw new AppError(
      "invalid_input",
      `Unknown operation "${body.operation.slice(0, 40)}". Supported: ${OPERATIONS.join(", ")}.`,
    );
  }
  const operation = body.operation as Operation;
  const deny = (code: ErrorCode, message: string, remediation: string, destination?: string) =>
    denied(ctx, basis, operation, code, message, remediation, destination);
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
  const required = integration.requireEndUser ? endUserRequired(operation, prepared.endUser) : null;
  if (required) {
    return deny(
      "end_user_required",
      `This integration requires ${required} on ${operation}.`,
      "Send the person the request is made for as payload.end_user: { ip, id } (kept only as keyed hashes, never sent to Twilio).",
    );
  }
  const destination = prepared.destination;
  if (destination && SENDS.includes(operation)) {
    const country = destination.country ?? "unknown";
    if (!integration.allowedCountries.includes(country)) {
      const where = destination.country
        ? countryLabel(country)
        : "a number without a known country";
      return deny(
        "destination_not_allowed",
        `Sending to ${where} is not allowed by this integration's geo permissions.`,
        "An admin can add the country to the integration's allowed destination countries.",
        destination.e164,
      );
    }
  }
  return { basis, body, operation, prepared };
}

/** What an integration that requires `end_user` misses on this request, if anything. */
function endUserRequired(operation: Operation, endUser: EndUserHashes): string | null {
  if (SENDS.includes(operation)) return endUser.ipHash ? null : "payload.end_user.ip";
  if (operation === "check_verification") return endUser.idHash ? null : "payload.end_user.id";
  return null;
}

/**
 * One run of the pipeline, in order: (key, by the caller) -> integration in the caller's tenant
 * (else 404) -> enabled -> operation allowed (else 403, audited) -> payload (zod + E.164) ->
 * sender (the integration's own, else 403, audited) -> end_user when required (else 400, audited)
 * -> geo permission (audited) ->
 * idempotency -> rows confirmed + abuse limits (one statement) -> circuit breaker -> unseal ->
 * line type when the integration checks it (cached Lookup; landline for SMS 422, VoIP per
 * voip_policy, refusals audited) -> Twilio -> audit event -> envelope encrypted to `recipient`.
 */
async function decide(
  input: unknown,
  ctx: ProxyCaller,
  options: OutboundOptions,
  key: KeyState,
  cached: boolean,
): Promise<ProxyOutcome> {
  const { requestId, idempotencyKey, recipient } = options;
  const keyVersion = key.version;
  const read: { basis: Basis | null } = { basis: null };
  const { basis, body, operation, prepared } = await checkPolicy(
    input,
    ctx,
    keyVersion,
    cached,
    read,
  ).catch(async (error: unknown) => {
    // A refusal decided on cached rows is confirmed first (a revoked key gets 401 instead).
    if (error instanceof AppError) await confirmBasis(ctx, read.basis, keyVersion);
    throw error;
  });
  const integration = basis.integration;
  const destination = prepared.destination;

  const scope: Scope | null = idempotencyKey
    ? { tenantId: ctx.tenantId, apiKeyId: ctx.keyId, key: idempotencyKey }
    : null;
  // The end user takes part as hashes, and only when named (hashes stored before it stay valid).
  const endUserPart = prepared.endUser.ipHash || prepared.endUser.idHash;
  const hash = requestHash({
    ...body,
    payload: prepared.payload,
    ...(endUserPart ? { end_user: prepared.endUser } : {}),
  });
  if (scope) {
    let stored: Awaited<ReturnType<typeof replayOrClaim>>;
    try {
      stored = await replayOrClaim(scope, hash);
      // A stored result goes only to a key and an integration that are still as they were.
      if (stored) await confirmBasis(ctx, basis);
    } catch (error) {
      if (error instanceof AppError) await confirmBasis(ctx, basis);
      throw error;
    }
    if (stored) {
      const envelope = await buildEnvelope(ctx, {
        recipient,
        requestId,
        auditEventId: stored.auditEventId,
        success: stored.success,
        payload: stored.result,
      });
      return { status: stored.httpStatus, envelope, replayed: true, headers: {} };
    }
  }
  let reachedTwilio = false;
  try {
    const taken = await inSpan("pqseal.db.limits", { "db.system.name": "postgresql" }, () =>
      takeRequestLimits(
        {
          apiKey: ctx.confirmKey && keyVersion ? { id: ctx.keyId, version: keyVersion } : undefined,
          integration: { id: integration.id, version: integration.version },
        },
        limitsFor(ctx, integration, operation, prepared, key.limits),
      ).catch(async (error: unknown) => {
        if (error instanceof AppError && error.status === 429) {
          await recordLimitRefusal(ctx, integration.id, operation, error, {
            destination: destination?.e164,
            endUser: prepared.endUser,
          });
        }
        throw error;
      }),
    );
    if (taken.stale) throw new Stale();
    basis.confirmed = true;
    await checkPumping(ctx, integration, operation, destination);
    // Fallback guidance: the last verification to this number had its SMS reported undelivered,
    // or was not approved within the integration's fallback_after_seconds.
    const numberHash = destination && destinationFingerprint(ctx.tenantId, destination.e164).hmac;
    const fallback =
      operation === "create_verification" && prepared.payload.channel === "sms" && numberHash
        ? await fallbackReason(ctx.tenantId, integration, numberHash)
        : null;
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
          ...endUserDetails(prepared.endUser),
          ...(scope ? { idempotency_key_hash: requestHash(scope.key).slice(0, 16) } : {}),
        },
      };
      assertAuditable({ ...event, outcome: "succeeded" });
      const client = twilioClientFor(credential as never);

      // The destination's line type, when the integration checks it (a cached answer, else one
      // Lookup). A failed lookup fails the request: the policy is never skipped silently.
      const channel = destination && lineTypeChannel(integration, operation, prepared.payload);
      let checked: Record<string, string> = {};
      if (destination && channel) {
        const looked = await lineTypeOf(ctx.tenantId, integration, destination.e164, client);
        if ("failure" in looked) {
          const { failure } = looked;
          return { event, result: undefined, failure, upstreamFailed: isUpstreamFailure(failure) };
        }
        const verdict = judgeLineType(integration, channel, looked.lineType);
        const lineType = { line_type: looked.lineType ?? "unknown" };
        if (verdict && "refusal" in verdict) {
          const { code, message, remediation } = verdict.refusal;
          await denied(
            ctx,
            basis,
            operation,
            code,
            message,
            remediation,
            destination.e164,
            lineType,
          );
        }
        checked = { ...lineType, ...(verdict && "flagged" in verdict ? verdict : {}) };
      }
      const audited = { ...event, details: { ...event.details, ...checked } };

      reachedTwilio = true;
      const { answer, failure } = await callTwilio(operation, () => prepared.call(client));
      return failure
        ? { event: audited, result: undefined, failure, upstreamFailed: isUpstreamFailure(failure) }
        : { event: audited, result: answer, failure: null, upstreamFailed: false };
    });
    // lookup_number's answer also refreshes the line-type cache the policy reads.
    if (operation === "lookup_number" && !failure && destination) {
      await rememberLineType(ctx.tenantId, destination.e164, result as LookupResult);
    }
    const success = failure === null;
    const httpStatus = failure?.status ?? 200;
    const payload = success
      ? {
          data: result,
          // Guidance only: the verification above went out as asked (the product never switches).
          ...(fallback ? { fallback: { channel: "call", reason: fallback } } : {}),
        }
      : { error: failure?.error };
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
          ...(operation === "lookup_number" && !failure
            ? { line_type: (result as LookupResult).line_type ?? "unknown" }
            : {}),
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
    if (success) {
      await trackVerification(ctx.tenantId, integration.id, operation, prepared, result, {
        destination,
        numberHash,
      });
    }
    const envelope = await buildEnvelope(ctx, {
      recipient,
      requestId,
      auditEventId,
      success,
      payload,
    });
    return { status: httpStatus, envelope, replayed: false, headers: taken.headers };
  } catch (error) {
    // Only a key whose request never reached Twilio may be used again.
    if (scope && !reachedTwilio) await releaseClaim(scope);
    throw error;
  }
}

/** The operations the pumping signal throttles: new sends to a destination country. */
const PUMPING_CHECKED: Operation[] = ["send_sms", "create_verification"];

/**
 * SMS pumping (issue #21): when few of the verifications to the destination's country were
 * approved in the integration's window (pumpingSignal), `proxy.pumping_suspected` is audited
 * once per window and country; under pumping_action refuse the request is refused (429
 * country_throttled_pumping, Retry-After: until the oldest verification counted leaves the
 * window), audited as a denial within budget.
 */
async function checkPumping(
  ctx: ProxyCaller,
  integration: Integration,
  operation: Operation,
  destination: ParsedPhone | undefined,
) {
  if (!destination || !PUMPING_CHECKED.includes(operation)) return;
  const country = destination.country ?? "unknown";
  const signal = await pumpingSignal(ctx.tenantId, integration, country);
  if (!signal) return;
  const refuse = integration.pumpingAction === "refuse";
  const { id } = integration;
  const details = {
    operation,
    country,
    created: signal.created,
    approved: signal.approved,
    window_seconds: integration.pumpingWindowSeconds,
    min_volume: integration.pumpingMinVolume,
    min_conversion_percent: integration.pumpingMinConversion,
    pumping_action: integration.pumpingAction,
  };
  await recordWithinBudget(
    ctx,
    { key: `pumping:${id}:${country}`, burst: 1, refillSeconds: integration.pumpingWindowSeconds },
    {
      action: "proxy.pumping_suspected",
      outcome: refuse ? "denied" : "allowed",
      integrationId: id,
      target: { type: "integration", id },
      details,
    },
  );
  if (!refuse) return;
  await recordWithinBudget(
    ctx,
    { key: `proxy-denied:${id}:${ctx.keyId}`, ...REFUSAL_BUDGET },
    {
      action: "proxy.denied",
      outcome: "denied",
      integrationId: id,
      target: { type: "integration", id },
      details: { operation, reason: "country_throttled_pumping", country },
    },
  );
  throw new AppError(
    "country_throttled_pumping",
    `Sends to ${country} are throttled: ${signal.approved} of ${signal.created} verifications to it were approved in the last ${integration.pumpingWindowSeconds} seconds (suspected SMS pumping).`,
    {
      remediation:
        "Retry after the Retry-After delay; an admin can review the traffic to this country and change the integration's pumping_action or thresholds.",
      headers: { "retry-after": String(signal.retryAfterSeconds) },
    },
  );
}

/** Verifications created and approved, for the pumping signal and the fallback guidance. */
async function trackVerification(
  tenantId: string,
  integrationId: string,
  operation: Operation,
  prepared: Prepared,
  result: unknown,
  { destination, numberHash }: { destination?: ParsedPhone; numberHash?: string },
) {
  const sid = sidOf(result);
  if (!sid) return;
  try {
    if (operation === "create_verification" && destination && numberHash) {
      await recordVerification({
        tenantId,
        integrationId,
        sid,
        country: destination.country ?? "unknown",
        numberHash,
        channel: String(prepared.payload.channel),
      });
    } else if (operation === "check_verification" && statusOf(result) === "approved") {
      await markApproved(tenantId, integrationId, sid);
    }
  } catch (error) {
    // Twilio answered and the call is audited: a missed signal row does not fail the request.
    logger().error({ err: error, tenantId, integrationId, sid }, "verification tracking failed");
  }
}

/**
 * The line type of `e164` for the policy: cached while younger than the integration's
 * line_type_cache_hours, else looked up (one Lookup v2 call, counted like any Twilio call) and
 * remembered. A Twilio failure is answered as the request's failure.
 */
async function lineTypeOf(
  tenantId: string,
  integration: Integration,
  e164: string,
  client: ReturnType<typeof twilioClientFor>,
): Promise<LineType | { failure: TwilioFailure }> {
  const cached = await cachedLineType(tenantId, e164, integration.lineTypeCacheHours);
  if (cached) return cached;
  const { answer, failure } = await callTwilio("lookup_number", () => lookupNumber(client, e164));
  if (failure) return { failure };
  const found = answer as LookupResult;
  await rememberLineType(tenantId, e164, found);
  return { lineType: found.line_type, carrier: found.carrier_name };
}

/**
 * The request's rate limits: the key's bucket, and for sends and checks the end user's window
 * (per IP for sends, per id for checks; when the payload names one) and the destination's.
 */
function limitsFor(
  ctx: ProxyCaller,
  integration: Integration,
  operation: Operation,
  prepared: Prepared,
  own: KeyState["limits"],
): RequestLimits {
  const bucket = {
    key: `key:${integration.id}:${ctx.keyId}`,
    burst: integration.keyBurst,
    ratePerSecond: integration.keyRatePerSecond,
  };
  const target = prepared.destination
    ? destinationFingerprint(ctx.tenantId, prepared.destination.e164).hmac
    : prepared.limitKey;
  const windowSeconds = integration.destinationWindowSeconds;
  const minutes = windowSeconds / 60;
  const destinationWindow: Window | undefined = !target
    ? undefined
    : SENDS.includes(operation)
      ? {
          scope: `send:${integration.id}:${target}`,
          limit: integration.sendsPerDestination,
          windowSeconds,
          code: "rate_limited_destination",
          message: `At most ${integration.sendsPerDestination} sends to one destination per ${minutes} minutes.`,
        }
      : operation === "check_verification"
        ? {
            scope: `check:${integration.id}:${target}`,
            limit: integration.checksPerDestination,
            windowSeconds,
            code: "rate_limited_verification_checks",
            message: `At most ${integration.checksPerDestination} verification checks per destination per ${minutes} minutes; then a cooldown.`,
          }
        : undefined;
  // The end user's window comes first: a client pumping many numbers from one address is
  // stopped there, without using up the slots of the numbers it names.
  const endUser = prepared.endUser;
  const endUserSeconds = integration.endUserWindowSeconds;
  const endUserMinutes = endUserSeconds / 60;
  const endUserWindow: Window | undefined =
    SENDS.includes(operation) && endUser.ipScopeHash
      ? {
          scope: `eu-ip:${integration.id}:${endUser.ipScopeHash}`,
          limit: integration.endUserIpSends,
          windowSeconds: endUserSeconds,
          code: "rate_limited_end_user_ip",
          message: `At most ${integration.endUserIpSends} sends per end-user IP per ${endUserMinutes} minutes.`,
        }
      : operation === "check_verification" && endUser.idHash
        ? {
            scope: `eu-id:${integration.id}:${endUser.idHash}`,
            limit: integration.endUserIdChecks,
            windowSeconds: endUserSeconds,
            code: "rate_limited_end_user_id",
            message: `At most ${integration.endUserIdChecks} verification checks per end user per ${endUserMinutes} minutes; then a cooldown.`,
          }
        : undefined;
  const windows = [endUserWindow, destinationWindow].filter((w): w is Window => w !== undefined);
  const keyBucket = own ? { key: `apikey:${ctx.keyId}`, ...own } : undefined;
  return { tenantId: ctx.tenantId, keyBucket, bucket, windows };
}

/**
 * A request over a limit, in the audit log (`proxy.rate_limited`, counted with the denials):
 * SMS pumping shows up as runs of these. Summarised per key and integration when repeated
 * (lib/platform/audit/record-within-budget.ts), so a flood cannot flood the log.
 */
async function recordLimitRefusal(
  ctx: ProxyCaller,
  integrationId: string,
  operation: Operation,
  refusal: AppError,
  { destination, endUser }: { destination: string | undefined; endUser: EndUserHashes },
) {
  // The hashed scope of an end-user refusal; for the others, the end user named (if any).
  const who =
    refusal.code === "rate_limited_end_user_ip"
      ? { end_user_ip_hash: endUser.ipHash }
      : refusal.code === "rate_limited_end_user_id"
        ? { end_user_id_hash: endUser.idHash }
        : endUserDetails(endUser);
  await recordWithinBudget(
    ctx,
    { key: `proxy-limited:${integrationId}:${ctx.keyId}`, ...REFUSAL_BUDGET },
    {
      action: "proxy.rate_limited",
      outcome: "denied",
      integrationId,
      target: { type: "integration", id: integrationId },
      ...(destination ? { destination } : {}),
      details: {
        operation,
        reason: refusal.code,
        retry_after_seconds: Number(refusal.options.headers?.["retry-after"] ?? 0),
        ...who,
      },
    },
  );
}

async function denied(
  ctx: ProxyCaller,
  basis: Basis,
  operation: Operation,
  code: ErrorCode,
  message: string,
  remediation: string,
  destination?: string,
  extra: Record<string, string> = {},
): Promise<never> {
  // A denial is recorded only against rows the database confirms (never a cached claim), and
  // summarised when repeated: anyone holding a key can repeat a refused request at will.
  await confirmBasis(ctx, basis);
  const { id } = basis.integration;
  await recordWithinBudget(
    ctx,
    { key: `proxy-denied:${id}:${ctx.keyId}`, ...REFUSAL_BUDGET },
    {
      action: "proxy.denied",
      outcome: "denied",
      integrationId: id,
      target: { type: "integration", id },
      ...(destination ? { destination } : {}),
      details: { operation, reason: code, ...extra },
    },
  );
  throw new AppError(code, message, { remediation });
}
