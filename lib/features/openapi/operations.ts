import type { ErrorCode } from "@/lib/platform/errors/app-error";
import { auditPageSchema, exportFormatSchema } from "@/lib/features/audit/schemas";
import {
  createIntegrationSchema,
  updateIntegrationSchema,
} from "@/lib/features/integrations/schemas";
import { outboundRequestSchema } from "@/lib/features/proxy/schemas";
import { rotateRequestSchema, sealRequestSchema } from "@/lib/features/vault/schemas";
import { z } from "zod";
import { pageQuerySchema } from "@/lib/platform/http/pagination";
import {
  auditEventListSchema,
  auditVerifySchema,
  credentialAnswerSchema,
  credentialListSchema,
  integrationAnswerSchema,
  integrationListSchema,
  intakeAuthSchema,
  keysSchema,
  webhookEventListSchema,
} from "./responses";

/** What the document says of one route beyond lib/shared/api-routes.ts (method, path, scope). */
export interface OperationSpec {
  summary: string;
  tag: "Proxy" | "Keys" | "Vault" | "Integrations" | "Audit" | "Webhooks" | "Meta";
  /** The JSON body, as the route parses it (its zod input side). */
  body?: z.ZodType;
  /** An example body (the reference page's curl; checked against `body` by document.test.ts). */
  example?: unknown;
  /** Query parameters, as the route parses them. */
  query?: z.ZodObject;
  success: {
    status: number;
    description: string;
    /** JSON schema of the answer (zod output side); "envelope": a HybridCryptoEnvelope. */
    json?: z.ZodType | "envelope";
    /** Non-JSON answers: content types whose body is described in words. */
    other?: Record<string, string>;
    /** The answer may also have no body at all (x-empty-body). */
    mayBeEmpty?: boolean;
  };
  /** The problem-details errors the route answers with (grouped by their HTTP status). */
  errors: ErrorCode[];
  /** The proxy: Twilio's failures arrive as envelopes (success false) with these statuses. */
  envelopeFailures?: boolean;
  idempotencyKey?: boolean;
  clientRequestId?: boolean;
  /** Answers the route gives without a body (the webhook intake's bare refusals). */
  bare?: Record<number, string>;
}

/** Every route behind an API key can answer these (the chokepoint, the database). */
const KEY: ErrorCode[] = [
  "unauthenticated",
  "insufficient_scope",
  "ip_not_allowed",
  "rate_limited_api_key",
  "internal_error",
  "database_unavailable",
];
const ANY_KEY = KEY.filter((c) => c !== "insufficient_scope");
const BODY: ErrorCode[] = ["invalid_input", "payload_too_large"];
/** Sealing tries the values against Twilio and seals under the tenant's KMS key. */
const SEALING: ErrorCode[] = [
  "credential_rejected",
  "credential_account_mismatch",
  "credential_check_failed",
  "upstream_unavailable",
  "kms_unavailable",
];

/** What GET /api/v2/openapi.json promises of itself (the rest is OpenAPI 3.1). */
const openApiShapeSchema = z.looseObject({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
  components: z.looseObject({}),
});

const credential = { json: credentialAnswerSchema, description: "The credential's metadata." };
const integration = { json: integrationAnswerSchema, description: "The integration." };

export const OPERATIONS: Record<string, OperationSpec> = {
  "POST /api/v2/proxy/outbound": {
    summary: "Send a request to Twilio through an integration",
    tag: "Proxy",
    body: outboundRequestSchema,
    example: {
      integration_id: "int_…",
      operation: "send_sms",
      payload: { to: "+14155550123", body: "Hi" },
    },
    idempotencyKey: true,
    clientRequestId: true,
    envelopeFailures: true,
    success: {
      status: 200,
      json: "envelope",
      description:
        "Twilio answered: an envelope with success true; its decrypted payload is {data} (docs/ENVELOPE.md §8).",
    },
    errors: [
      ...KEY,
      ...BODY,
      "invalid_phone_number",
      "end_user_required",
      "operation_not_allowed",
      "destination_not_allowed",
      "sender_not_allowed",
      "integration_disabled",
      "voip_not_allowed",
      "not_found",
      "conflict",
      "client_key_required",
      "idempotency_key_reused",
      "idempotency_in_progress",
      "landline_not_sms_capable",
      "rate_limited_destination",
      "rate_limited_end_user_ip",
      "rate_limited_end_user_id",
      "country_throttled_pumping",
      "audit_pending",
      "upstream_unavailable",
      "overloaded",
      "kms_unavailable",
    ],
  },
  "GET /api/v2/keys": {
    summary: "The tenant's public keys",
    tag: "Keys",
    success: { status: 200, json: keysSchema, description: "Signing, vault and client keys." },
    errors: ANY_KEY,
  },
  "POST /api/v2/vault/seal": {
    summary: "Seal a Twilio credential",
    tag: "Vault",
    body: sealRequestSchema,
    example: {
      credential_type: "basic_auth",
      name: "Twilio main account",
      values: { username: "AC…", password: "<Auth Token>" },
    },
    success: { status: 201, ...credential },
    errors: [...KEY, ...BODY, ...SEALING],
  },
  "GET /api/v2/vault/credentials": {
    summary: "List credentials",
    tag: "Vault",
    query: pageQuerySchema,
    success: { status: 200, json: credentialListSchema, description: "A page of credentials." },
    errors: [...KEY, "invalid_input"],
  },
  "POST /api/v2/vault/credentials/{credential_id}/rotate": {
    summary: "Rotate a credential",
    tag: "Vault",
    body: rotateRequestSchema,
    example: { values: { username: "AC…", password: "<new Auth Token>" }, grace_seconds: 3600 },
    success: { status: 200, ...credential },
    errors: [...KEY, ...BODY, "not_found", ...SEALING],
  },
  "DELETE /api/v2/vault/credentials/{credential_id}": {
    summary: "Delete a credential",
    tag: "Vault",
    success: { status: 204, description: "Deleted." },
    errors: [...KEY, "not_found", "credential_in_use"],
  },
  "GET /api/v2/integrations": {
    summary: "List integrations",
    tag: "Integrations",
    query: pageQuerySchema,
    success: { status: 200, json: integrationListSchema, description: "A page of integrations." },
    errors: [...KEY, "invalid_input"],
  },
  "POST /api/v2/integrations": {
    summary: "Create an integration",
    tag: "Integrations",
    body: createIntegrationSchema,
    example: {
      name: "main",
      system_type: "twilio",
      credential_id: "cred_…",
      allowed_operations: ["send_sms"],
      allowed_countries: ["US"],
    },
    success: { status: 201, ...integration },
    errors: [...KEY, ...BODY],
  },
  "GET /api/v2/integrations/{integration_id}": {
    summary: "Read an integration",
    tag: "Integrations",
    success: { status: 200, ...integration },
    errors: [...KEY, "not_found"],
  },
  "PATCH /api/v2/integrations/{integration_id}": {
    summary: "Change an integration",
    tag: "Integrations",
    body: updateIntegrationSchema,
    example: { enabled: false },
    success: { status: 200, ...integration },
    errors: [...KEY, ...BODY, "not_found"],
  },
  "DELETE /api/v2/integrations/{integration_id}": {
    summary: "Delete an integration",
    tag: "Integrations",
    success: { status: 204, description: "Deleted." },
    errors: [...KEY, "not_found"],
  },
  "POST /api/v2/integrations/{integration_id}/intake-auth": {
    summary: "Turn on intake HTTP Basic credentials",
    tag: "Webhooks",
    success: {
      status: 200,
      json: intakeAuthSchema,
      description: "The new credentials and the intake URLs carrying them (shown once).",
    },
    errors: [...KEY, "not_found"],
  },
  "DELETE /api/v2/integrations/{integration_id}/intake-auth": {
    summary: "Turn off intake HTTP Basic credentials",
    tag: "Webhooks",
    success: { status: 204, description: "Removed." },
    errors: [...KEY, "not_found"],
  },
  "GET /api/v2/integrations/{integration_id}/webhook-events": {
    summary: "List an integration's webhook events",
    tag: "Webhooks",
    query: pageQuerySchema,
    success: {
      status: 200,
      json: webhookEventListSchema,
      description: "A page of accepted webhooks and their deliveries, newest first.",
    },
    errors: [...KEY, "invalid_input", "not_found"],
  },
  "GET /api/v2/audit/events": {
    summary: "List audit events",
    tag: "Audit",
    query: auditPageSchema,
    success: { status: 200, json: auditEventListSchema, description: "A page, newest first." },
    errors: [...KEY, "invalid_input"],
  },
  "GET /api/v2/audit/export": {
    summary: "Export the audit log",
    tag: "Audit",
    query: auditPageSchema.omit({ cursor: true, limit: true }).extend({
      format: exportFormatSchema.optional(),
    }),
    success: {
      status: 200,
      description: "The events, streamed as a download (oldest first, with checkpoints).",
      other: {
        "application/x-ndjson": "One JSON event per line (format=jsonl, the default).",
        "text/csv": "One event per row (format=csv).",
      },
    },
    errors: [...KEY, "invalid_input"],
  },
  "POST /api/v2/audit/verify": {
    summary: "Verify the audit hash chain",
    tag: "Audit",
    success: { status: 200, json: auditVerifySchema, description: "The chain's state." },
    errors: KEY,
  },
  "POST /api/v2/webhooks/twilio/{integration_id}/{kind}": {
    summary: "Twilio webhook intake",
    tag: "Webhooks",
    success: {
      status: 200,
      description: "Accepted (stored, and forwarded when the integration forwards).",
      other: {
        "text/xml": "Empty TwiML (<Response></Response>) for the sms and voice kinds.",
      },
      mayBeEmpty: true,
    },
    errors: ["invalid_input", "internal_error"],
    bare: {
      401: "HTTP Basic credentials are required and missing or wrong (WWW-Authenticate: Basic).",
      403: "The Twilio signature is missing or wrong, or the integration takes no webhooks.",
      404: "Unknown kind.",
      413: "The body is larger than WEBHOOK_MAX_BODY_BYTES.",
    },
  },
  "GET /api/v2/webhooks/twilio/{integration_id}/{kind}": {
    summary: "Twilio webhook intake (GET)",
    tag: "Webhooks",
    success: {
      status: 200,
      description: "Accepted.",
      other: { "text/xml": "Empty TwiML for the sms and voice kinds." },
      mayBeEmpty: true,
    },
    errors: ["invalid_input", "internal_error"],
    bare: {
      401: "HTTP Basic credentials are required and missing or wrong.",
      403: "The Twilio signature is missing or wrong.",
      404: "Unknown kind.",
      413: "Too large.",
    },
  },
  "GET /api/v2/openapi.json": {
    summary: "This OpenAPI document",
    tag: "Meta",
    success: {
      status: 200,
      json: openApiShapeSchema,
      description: "The OpenAPI 3.1 document of /api/v2 (this document).",
    },
    errors: [],
  },
};
