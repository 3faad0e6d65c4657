import { z } from "zod";
import { CREDENTIAL_TYPES } from "@/lib/features/vault/schemas";
import type { CredentialMetadata } from "@/lib/features/vault/queries";
import type { IntegrationJson } from "@/lib/features/integrations/queries";
import type { pageWebhookEvents } from "@/lib/features/webhooks/queries";
import { OPERATIONS } from "@/lib/features/integrations/schemas";
import { WEBHOOK_KINDS } from "@/lib/features/webhooks/intake";
import { PUMPING_ACTIONS, VOIP_POLICIES } from "@/lib/shared/integration-limits";
import { listOf } from "./components";

// The JSON the /api/v2 routes answer with, where the route builds a plain object: written here
// so the OpenAPI document can describe it, and checked against the real answers by
// openapi.int.test.ts (and, for the feature types below, by the compiler).

const instant = z.string().describe("ISO 8601 UTC, e.g. 2026-11-22T10:00:00.000Z.");

export const credentialSchema = z
  .object({
    id: z.string(),
    type: z.enum(CREDENTIAL_TYPES),
    name: z.string(),
    fingerprint: z.string().describe("The first 16 hex digits of the values' fingerprint."),
    version: z.int(),
    grace_seconds: z.int(),
    vault_key_id: z.string(),
    created_at: instant,
    updated_at: instant,
    last_used_at: instant.nullable(),
    account_sid_masked: z.string().nullable().describe("AC… and the last four characters."),
    verified_at: instant.nullable().describe("When Twilio last accepted the current values."),
    previous_versions_valid_until: z.array(instant),
  })
  .describe("A sealed credential's metadata, never its values.");

export const integrationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    system_type: z.enum(["twilio"]),
    credential_id: z.string(),
    webhook_credential_id: z.string().nullable(),
    allowed_operations: z.array(z.enum(OPERATIONS)),
    verify_service_sid: z.string().nullable(),
    default_from: z.string().nullable(),
    messaging_service_sid: z.string().nullable(),
    allowed_countries: z.array(z.string()),
    sends_per_destination: z.int(),
    checks_per_destination: z.int(),
    destination_window_seconds: z.int(),
    key_burst: z.int(),
    key_rate_per_second: z.int(),
    end_user_ip_sends: z.int(),
    end_user_id_checks: z.int(),
    end_user_window_seconds: z.int(),
    require_end_user: z.boolean(),
    line_type_check: z.boolean(),
    voip_policy: z.enum(VOIP_POLICIES),
    line_type_cache_hours: z.int(),
    pumping_action: z.enum(PUMPING_ACTIONS),
    pumping_min_volume: z.int(),
    pumping_min_conversion: z.int(),
    pumping_window_seconds: z.int(),
    fallback_after_seconds: z.int(),
    forward_url: z.string().nullable(),
    intake_auth_username: z
      .string()
      .nullable()
      .describe("Set: the intake URLs need HTTP Basic credentials."),
    enabled: z.boolean(),
    created_at: instant,
    updated_at: instant,
  })
  .describe("An integration and its policy (no secrets).");

const publicKey = {
  id: z.string(),
  algorithm: z.string(),
  version: z.int(),
  public_key: z.string().describe("base64"),
  fingerprint_sha256: z.string(),
  created_at: instant,
  retired_at: instant.nullable(),
  current: z.boolean(),
};

export const keysSchema = z.object({
  tenant_id: z.string(),
  signing_keys: z.array(
    z.object({
      ...publicKey,
      activates_at: instant.nullable(),
      endorsed_by: z.string().nullable(),
      endorsement: z.string().nullable(),
    }),
  ),
  vault_keys: z.array(z.object(publicKey)),
  client_key: z
    .object({ id: z.string(), algorithm: z.string(), fingerprint_sha256: z.string() })
    .nullable(),
});

export const auditEventSchema = z
  .object({
    id: z.string(),
    tenant_id: z.string(),
    seq: z.int(),
    occurred_at: instant,
    actor_type: z.string(),
    actor_id: z.string().nullable(),
    actor_label: z.string().nullable(),
    action: z.string(),
    target_type: z.string().nullable(),
    target_id: z.string().nullable(),
    integration_id: z.string().nullable(),
    outcome: z.string(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    request_id: z.string().nullable(),
    destination_hmac: z.string().nullable(),
    destination_last2: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    prev_hash: z.string(),
    hash: z.string(),
  })
  .describe("An audit event with its hash-chain links.");

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  checked: z.int(),
  head_seq: z.int(),
  head_hash: z.string(),
  anchor_seq: z.int(),
  first_broken: z
    .object({ seq: z.int(), id: z.string().nullable(), reason: z.string() })
    .nullable(),
  worker_threads: z.int(),
  duration_ms: z.number(),
});

export const intakeAuthSchema = z.object({
  intake_auth: z.object({
    username: z.string(),
    password: z.string().describe("Shown in this answer only."),
    urls: z.array(z.object({ kind: z.enum(WEBHOOK_KINDS), url: z.string() })),
  }),
});

const webhookEventSchema = z
  .object({
    id: z.string(),
    integration_id: z.string(),
    kind: z.enum(WEBHOOK_KINDS),
    validation: z.string(),
    received_at: instant,
    sid: z.string().nullable(),
    status: z.string().nullable(),
    event_type: z.string().nullable(),
    error_code: z.int().nullable(),
    from_last2: z.string().nullable(),
    to_last2: z.string().nullable(),
    audit_event_id: z.string().nullable(),
    delivery: z
      .object({
        id: z.string(),
        state: z.string(),
        attempts: z.int(),
        last_status: z.int().nullable(),
        last_error: z.string().nullable(),
        next_attempt_at: instant.nullable(),
        delivered_at: instant.nullable(),
      })
      .nullable()
      .describe("Its forwarding delivery, when the integration forwards."),
  })
  .describe("An accepted Twilio webhook (no payload; numbers as their last two digits).");

export const credentialListSchema = listOf("credentials", credentialSchema);
export const integrationListSchema = listOf("integrations", integrationSchema);
export const auditEventListSchema = listOf("events", auditEventSchema);
export const webhookEventListSchema = listOf("webhook_events", webhookEventSchema);
export const credentialAnswerSchema = z.object({ credential: credentialSchema });
export const integrationAnswerSchema = z.object({ integration: integrationSchema });

// The compiler keeps these in step with the features' own types (a field added there and not
// here, or typed differently, fails `tsc`).
type WebhookEventJson = Awaited<ReturnType<typeof pageWebhookEvents>>["items"][number];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const inStep: [
  Same<z.output<typeof credentialSchema>, CredentialMetadata>,
  Same<keyof z.output<typeof integrationSchema>, keyof IntegrationJson>,
  Same<keyof z.output<typeof webhookEventSchema>, keyof WebhookEventJson>,
] = [true, true, true];
void inStep;
