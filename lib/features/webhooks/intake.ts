import "server-only";
import { requestMetaFrom } from "@/lib/platform/http/request-meta";
import { createHash } from "node:crypto";
import { webhookDeliveries, webhookEvents } from "@/db/schema";
import { destinationFingerprint } from "@/lib/platform/phone/fingerprint";
import { isE164, looksLikePhoneNumber } from "@/lib/shared/phone";
import { appendAuditIf } from "@/lib/platform/audit/group-commit";
import { systemActing } from "@/lib/platform/request-context/acting";
import { newId } from "@/lib/shared/ids";
import { textProblems } from "@/lib/shared/text";
import { integrationForWebhook } from "@/lib/features/integrations/queries";
import { logger } from "@/lib/platform/log/logger";
import { recordWithinBudget, REFUSAL_BUDGET } from "@/lib/platform/audit/record-within-budget";
import { applyMessageStatus } from "@/lib/features/proxy/messages";
import { markSmsUndelivered } from "@/lib/features/proxy/pumping";
import { unsealCredential, type Unsealed } from "@/lib/features/vault/service";
import { webhookRequestBinding } from "@/lib/platform/sealing/bindings";
import { sealForTenant } from "@/lib/platform/sealing/store";
import { checkIntakeAuth, withIntakeCredentials } from "./intake-auth";
import { publicUrl } from "./public-url";
import { formParams, isJson, signatureValid } from "./signature";

export const WEBHOOK_KINDS = [
  "sms",
  "message-status",
  "voice",
  "call-status",
  "verify-events",
] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

/** What the intake needs of Twilio's request (read and size-checked by http.ts). */
export interface WebhookRequest {
  method: string;
  url: string;
  headers: Headers;
  rawBody: string;
  /** Made by http.ts (/api/v2 skips proxy.ts): on the audit event and on an error answer. */
  requestId: string;
}

/**
 * Checks the integration's intake credentials when it has them (HTTP Basic: none at all is
 * `unauthenticated`, answered with the challenge Twilio waits for, not audited; wrong ones are
 * audited and refused the same way), then the X-Twilio-Signature with the integration's sealed
 * signing secret or the Auth Token of its basic_auth credential (current, then previous within
 * its grace period), before anything is stored; then stores it sealed,
 * audits it, applies a message status and queues forwarding, in one group-committed
 * transaction. A retry or replay of a signed request already held is accepted and stored once.
 * Refusals are audited (`webhook.rejected`) and carry no detail for the caller; a signed request
 * whose body cannot be kept (`invalid_body`) is refused the same way but told why, since only
 * the holder of a signature gets that far.
 */
export async function acceptWebhook(
  integrationId: string,
  kind: WebhookKind,
  request: WebhookRequest,
): Promise<"accepted" | "refused" | "unauthenticated" | "invalid_body"> {
  const { rawBody } = request;

  const integration = await integrationForWebhook(integrationId);
  const meta = { ...requestMetaFrom(request.headers), requestId: request.requestId };
  if (!integration) {
    logger().warn(
      { integrationId: integrationId.slice(0, 40), kind },
      "webhook for unknown integration",
    );
    return "refused" as const;
  }
  const by = systemActing(integration.tenantId, meta);
  const reject = async <O extends "refused" | "unauthenticated" = "refused">(
    reason: string,
    outcome: O = "refused" as O,
  ): Promise<O> => {
    // Anyone who knows an integration id can send refused webhooks: each integration records
    // at most 20 of them in a row (then one per 6 s); the rest are counted, and the next
    // recorded refusal carries that count.
    await recordWithinBudget(
      by,
      { key: `webhook-rejected:${integration.id}`, ...REFUSAL_BUDGET },
      {
        action: "webhook.rejected",
        outcome: "denied",
        integrationId: integration.id,
        target: { type: "integration", id: integration.id },
        details: { kind, reason },
      },
    );
    return outcome;
  };
  // Before anything else: a caller without the credentials learns nothing of the integration.
  const auth = checkIntakeAuth(integration, request.headers.get("authorization"));
  if (auth.state === "missing") return "unauthenticated";
  if (auth.state === "invalid") return reject("invalid_intake_credentials", "unauthenticated");
  if (!integration.enabled) return reject("integration_disabled");
  if (!integration.webhookCredentialId) return reject("no_webhook_secret");
  const signature = request.headers.get("x-twilio-signature");
  if (!signature) return reject("missing_signature");

  const contentType = request.headers.get("content-type") ?? "";
  const signed = {
    method: request.method,
    url: publicUrl(request.url, request.headers),
    contentType,
    rawBody,
    signature,
  };
  // Twilio signs "the exact URL your application supplied to Twilio" (its webhook security
  // page): with credentials, that URL carries them as userinfo, which the SDK's validators keep
  // (twilio/lib/webhooks/webhooks.js: splitUrl keeps `userInfo` when adding or removing the
  // port). That spelling is tried first; the bare URL too, as Twilio does not document the
  // case outright, and either needs the signing secret. `signed.url`, stored and forwarded,
  // never carries the credentials.
  const signedUrls =
    auth.state === "ok"
      ? [withIntakeCredentials(signed.url, auth.username, auth.password), signed.url]
      : [signed.url];
  const secrets = await unsealCredential(by, integration.webhookCredentialId, {
    reason: "webhook_validation",
    includeGrace: true,
    audit: false,
  });
  const match = secrets.find((s) => {
    const key = signingKeyOf(s);
    return key !== null && signedUrls.some((url) => signatureValid(key, { ...signed, url }));
  });
  if (!match) return reject("invalid_signature");
  const validation = match === secrets[0] ? "current" : "previous";

  const params = paramsOf(request, signed);
  if (!params) {
    await reject("invalid_body");
    return "invalid_body";
  }
  const summary = summarize(integration.tenantId, kind, params);
  const dedupeKey = dedupeKeyOf(signature);

  const eventId = newId("webhookEvent");
  // Sealed and KMS-wrapped before the transaction: the audit head lock is held for the
  // statements only. The event row, its audit event, the message state and the forwarding job
  // commit together, grouped with concurrent webhooks of the tenant (one head lock per batch).
  const { sealed: sealedRequest, vaultKeyId } = await sealForTenant(
    "webhookRequest",
    webhookRequestBinding(integration.tenantId, eventId),
    { method: request.method, content_type: contentType, url: signed.url, body: rawBody, kind },
  );
  await appendAuditIf(
    async (tx, auditEventId) => {
      const inserted = await tx
        .insert(webhookEvents)
        .values({
          id: eventId,
          auditEventId,
          tenantId: integration.tenantId,
          integrationId: integration.id,
          kind,
          dedupeKey,
          validation,
          summary: summary.browse,
          sealedRequest,
          vaultKeyId,
        })
        .onConflictDoNothing()
        .returning({ id: webhookEvents.id });
      return inserted.length > 0; // none: a retry of an event we already hold
    },
    by,
    {
      action: "webhook.received",
      outcome: "allowed",
      integrationId: integration.id,
      target: { type: "webhook_event", id: eventId },
      ...(summary.counterparty ? { destination: summary.counterparty } : {}),
      details: {
        kind,
        twilio_sid: summary.sid ?? null,
        status: summary.status ?? null,
        error_code: summary.errorCode ?? null,
        validated_with: validation,
        credential_version: match.version,
      },
    },
    async (tx) => {
      if (kind === "message-status" && summary.sid && summary.status) {
        await applyMessageStatus(
          tx,
          integration.tenantId,
          String(summary.sid),
          String(summary.status),
          summary.errorCode ?? null,
        );
        // 30003: the verification to that number gets fallback guidance (channel call).
        await markSmsUndelivered(
          tx,
          integration.tenantId,
          String(summary.sid),
          summary.errorCode ?? null,
        );
      }
      if (integration.forwardUrl) {
        await tx.insert(webhookDeliveries).values({
          id: newId("delivery"),
          tenantId: integration.tenantId,
          eventId,
          state: "pending",
        });
      }
    },
  );
  return "accepted";
}

/**
 * What Twilio signs webhooks with: the Auth Token, held either as a webhook_secret or as the
 * password of the account's basic_auth credential (Account SID + Auth Token). An api_key's
 * secret signs no webhooks (the integrations service refuses it as the webhook credential).
 */
function signingKeyOf(s: Unsealed): string | null {
  if (s.type === "webhook_secret") return (s.values as { secret: string }).secret;
  if (s.type === "basic_auth") return (s.values as { password: string }).password;
  return null;
}

/**
 * One key per signed request, so a replay is a duplicate whatever its unsigned parts. Not the
 * I-Twilio-Idempotency-Token header (unsigned: a new one made a replay look new), nor a hash of
 * the URL and raw body: the SDK accepts one signature over several spellings of the same signed
 * content (form parameters reordered, re-escaped or repeated, the URL with or without its default
 * port, the query re-escaped), each of which would hash differently. The signature is the HMAC
 * of exactly what Twilio signed (URL plus sorted parameters; for JSON bodies the URL carries
 * bodySHA256), compared byte for byte, so every accepted spelling of one signed request carries
 * the same one and different signed content carries a different one. Twilio's retries are the
 * same request and carry it too; only a retry re-signed after the signing secret was rotated
 * would be kept twice. Hashed: the key is stored in plain text, the request sealed.
 */
const dedupeKeyOf = (signature: string) =>
  `sig:${createHash("sha256").update(signature).digest("hex")}`;

/**
 * The signed parameters, or null when the request cannot be kept: a JSON body that does not
 * parse or is not an object, or any name or value anywhere holding NUL (PostgreSQL text and
 * jsonb cannot store it) or an unpaired surrogate (jsonb refuses it). Twilio sends none of these.
 */
function paramsOf(
  request: WebhookRequest,
  signed: { method: string; contentType: string; rawBody: string; url: string },
): Record<string, unknown> | null {
  let params: unknown;
  if (signed.method === "POST" && isJson(signed.contentType)) {
    try {
      params = JSON.parse(signed.rawBody);
    } catch {
      return null;
    }
    if (typeof params !== "object" || params === null || Array.isArray(params)) return null;
  } else if (signed.method === "POST") {
    params = formParams(signed.rawBody);
  } else {
    params = Object.fromEntries(new URL(request.url).searchParams);
  }
  const storable = textProblems(params, { values: "storable", names: "storable" }).next().done;
  return storable ? (params as Record<string, unknown>) : null;
}

const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);

// The summary and the audit event keep Twilio's identifiers (SIDs, statuses, event types) and
// error codes only in Twilio's shapes: anything else (a value shaped like a phone number or
// longer than audit details may be, an error code that is no integer) would be refused by the
// audit recorder or the integer column, failing a signed request. Such a value is left out of
// the summary; the request itself is kept, sealed, and forwarded as it came.
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const ident = (v: unknown) =>
  typeof v === "string" && IDENTIFIER.test(v) && !looksLikePhoneNumber(v) ? v : undefined;
const errorCodeOf = (v: unknown) => {
  const s = str(v);
  return s && /^\d{1,9}$/.test(s) ? Number(s) : null;
};

/** What people may browse: SIDs, statuses, error codes; numbers as keyed hash + last two digits. */
function summarize(tenantId: string, kind: WebhookKind, p: Record<string, unknown>) {
  const sid =
    ident(p.MessageSid) ??
    ident(p.SmsSid) ??
    ident(p.CallSid) ??
    ident(p.sid) ??
    ident(p.verification_sid);
  const status =
    ident(p.MessageStatus) ?? ident(p.SmsStatus) ?? ident(p.CallStatus) ?? ident(p.status);
  const eventType = ident(p.type) ?? ident(p.event_type);
  const errorCode = errorCodeOf(p.ErrorCode);
  const number = (v: unknown) => {
    const s = str(v);
    if (!s) return undefined;
    const fp = destinationFingerprint(tenantId, s);
    return { last2: fp.last2, hmac: fp.hmac.slice(0, 16) };
  };
  // The customer's number: the sender of inbound SMS/calls, the recipient of status callbacks.
  const inbound = kind === "sms" || kind === "voice";
  const counterparty = str(inbound ? p.From : p.To);
  return {
    sid,
    status,
    event_type: eventType,
    errorCode,
    counterparty: counterparty && isE164(counterparty) ? counterparty : undefined,
    browse: {
      sid: sid ?? null,
      status: status ?? null,
      event_type: eventType ?? null,
      error_code: errorCode,
      from: number(p.From) ?? null,
      to: number(p.To) ?? null,
    },
  };
}
