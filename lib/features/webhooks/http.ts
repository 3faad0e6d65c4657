import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/platform/config/env";
import { readCappedText } from "@/lib/platform/http/read-body";
import { pageBody, parsePageQuery } from "@/lib/platform/http/pagination";
import { getIntegrationOrThrow } from "@/lib/features/integrations/queries";
import { AppError } from "@/lib/platform/errors/app-error";
import { toErrorResponse } from "@/lib/platform/errors/to-response";
import { metrics } from "@/lib/platform/observability/metrics";
import { recordRequest } from "@/lib/platform/observability/observe-route";
import { inSpan } from "@/lib/platform/observability/tracing";
import type { ApiKeyContext } from "@/lib/platform/request-context/with-api-key";
import { acceptWebhook, WEBHOOK_KINDS, type WebhookKind } from "./intake";
import { INTAKE_AUTH_CHALLENGE, withIntakeCredentials } from "./intake-auth";
import { publicOrigin } from "./public-url";
import { intakeUrls, pageWebhookEvents } from "./queries";
import { removeIntakeAuth, setIntakeAuth } from "./set-intake-auth";

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const isKind = (kind: string): kind is WebhookKind =>
  (WEBHOOK_KINDS as readonly string[]).includes(kind);

const ROUTE = "/api/v2/webhooks/twilio/[integrationId]/[kind]";
const OUTCOMES: Record<number, string> = {
  200: "accepted",
  400: "invalid_body",
  401: "unauthenticated",
  403: "refused",
  404: "unknown_kind",
  413: "too_large",
};

/**
 * GET|POST /api/v2/webhooks/twilio/{integration_id}/{kind}, in a `pqseal.webhook` span,
 * counted and timed as /api/v2 requests are, and counted by kind and outcome.
 */
export async function intakeResponse(
  request: NextRequest,
  integrationId: string,
  kind: string,
  requestId: string,
) {
  const startedAt = performance.now();
  const kindLabel = isKind(kind) ? kind : "unknown";
  let status = 500;
  try {
    return await inSpan("pqseal.webhook", { "pqseal.webhook.kind": kindLabel }, async (span) => {
      const response = await intake(request, integrationId, kind, requestId);
      status = response.status;
      span.setAttribute("http.response.status_code", status);
      return response;
    });
  } finally {
    recordRequest(ROUTE, request.method, status, startedAt);
    metrics().webhookIntake.inc({ kind: kindLabel, outcome: OUTCOMES[status] ?? "error" });
  }
}

async function intake(
  request: NextRequest,
  integrationId: string,
  kind: string,
  requestId: string,
) {
  if (!isKind(kind)) return new Response(null, { status: 404 });
  const body = await readCappedText(request, env().WEBHOOK_MAX_BODY_BYTES);
  if (body === null) return new Response(null, { status: 413 });
  // A GET's parameters are its query: a body it came with is no part of the request.
  const rawBody = request.method === "POST" ? body : "";
  const outcome = await acceptWebhook(integrationId, kind, {
    method: request.method,
    url: request.url,
    headers: request.headers,
    rawBody,
    requestId,
  });
  // Refusals carry no detail: a caller learns nothing about which check failed. A 401 must
  // carry the challenge (RFC 9110 §15.5.2); Twilio sends its credentials only after one.
  if (outcome === "unauthenticated") {
    return new Response(null, {
      status: 401,
      headers: { "www-authenticate": INTAKE_AUTH_CHALLENGE },
    });
  }
  if (outcome === "refused") return new Response(null, { status: 403 });
  if (outcome === "invalid_body") {
    return toErrorResponse(
      new AppError(
        "invalid_input",
        "The webhook body cannot be stored: a JSON body must be an object, and no parameter may contain a NUL character or an unpaired surrogate.",
      ),
      requestId,
    );
  }
  // Messaging and voice webhooks expect TwiML: an empty response does nothing.
  if (kind === "sms" || kind === "voice") {
    return new Response(EMPTY_TWIML, { status: 200, headers: { "content-type": "text/xml" } });
  }
  return new Response(null, { status: 200 });
}

/**
 * POST /api/v2/integrations/{id}/intake-auth: turn on (or regenerate) HTTP Basic credentials
 * for the integration's intake URLs. The password and the credentialed URLs are in this answer
 * only.
 */
export async function setIntakeAuthResponse(request: NextRequest, ctx: ApiKeyContext, id: string) {
  const { username, password } = await setIntakeAuth(ctx, id);
  const urls = intakeUrls(id, publicOrigin(request.headers)).map((u) => ({
    kind: u.kind,
    url: withIntakeCredentials(u.url, username, password),
  }));
  return NextResponse.json(
    { intake_auth: { username, password, urls } },
    { headers: { "cache-control": "no-store" } },
  );
}

/** DELETE /api/v2/integrations/{id}/intake-auth: accept signed requests without credentials. */
export async function removeIntakeAuthResponse(_r: NextRequest, ctx: ApiKeyContext, id: string) {
  await removeIntakeAuth(ctx, id);
  return new NextResponse(null, { status: 204 });
}

/**
 * GET /api/v2/integrations/{id}/webhook-events?limit=&cursor=: the integration's accepted
 * Twilio webhooks and their forwarding deliveries, newest first; another tenant's
 * integration is not found.
 */
export async function webhookEventsResponse(request: NextRequest, ctx: ApiKeyContext, id: string) {
  const query = parsePageQuery(request.nextUrl);
  await getIntegrationOrThrow({ tenantId: ctx.tenantId, id });
  const page = await pageWebhookEvents(ctx.tenantId, id, query);
  return NextResponse.json(pageBody("webhook_events", page));
}
