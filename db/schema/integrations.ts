import { boolean, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import {
  INTEGRATION_LIMIT_DEFAULTS as LIMITS,
  type PumpingAction,
  type VoipPolicy,
} from "@/lib/shared/integration-limits";
import { createdAt, idColumn, sealedColumns, ts } from "./columns";
import { credentials } from "./credentials";
import { tenants } from "./tenants";

// A Twilio integration: sealed credentials bound to a default-deny policy.
export const integrations = pgTable(
  "integrations",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    systemType: text("system_type").notNull(),
    /** basic_auth or api_key credential used to call Twilio. */
    credentialId: text("credential_id")
      .notNull()
      .references(() => credentials.id),
    /** webhook_secret credential used to validate X-Twilio-Signature. */
    webhookCredentialId: text("webhook_credential_id").references(() => credentials.id),
    /** Default-deny: empty until an admin adds operations. */
    allowedOperations: text("allowed_operations").array().notNull().default([]),
    verifyServiceSid: text("verify_service_sid"),
    defaultFrom: text("default_from"),
    messagingServiceSid: text("messaging_service_sid"),
    /** ISO 3166-1 alpha-2 codes; destinations elsewhere are refused (empty: none allowed). */
    allowedCountries: text("allowed_countries").array().notNull().default([]),
    sendsPerDestination: integer("sends_per_destination")
      .notNull()
      .default(LIMITS.sends_per_destination),
    checksPerDestination: integer("checks_per_destination")
      .notNull()
      .default(LIMITS.checks_per_destination),
    /** Window (and cooldown) for the two per-destination limits. */
    destinationWindowSeconds: integer("destination_window_seconds")
      .notNull()
      .default(LIMITS.destination_window_seconds),
    /** Token bucket per API key: burst size and refill per second. */
    keyBurst: integer("key_burst").notNull().default(LIMITS.key_burst),
    keyRatePerSecond: integer("key_rate_per_second").notNull().default(LIMITS.key_rate_per_second),
    /** Per end user (the payload's `end_user`): sends per IP, verification checks per id. */
    endUserIpSends: integer("end_user_ip_sends").notNull().default(LIMITS.end_user_ip_sends),
    endUserIdChecks: integer("end_user_id_checks").notNull().default(LIMITS.end_user_id_checks),
    /** Window (and cooldown) for the two per-end-user limits. */
    endUserWindowSeconds: integer("end_user_window_seconds")
      .notNull()
      .default(LIMITS.end_user_window_seconds),
    /** Sends need `end_user.ip`, verification checks `end_user.id` (else 400 end_user_required). */
    requireEndUser: boolean("require_end_user").notNull().default(false),
    /**
     * Before send_sms and create_verification (sms, call): look up the destination's line type
     * (Twilio Lookup v2, cached in line_type_lookups): landline refused for SMS, VoIP per
     * voip_policy.
     */
    lineTypeCheck: boolean("line_type_check").notNull().default(false),
    /** allow | flag (proceed, audited with flagged: "voip") | refuse (403 voip_not_allowed). */
    voipPolicy: text("voip_policy").$type<VoipPolicy>().notNull().default("flag"),
    /** How long one lookup of a number is reused. */
    lineTypeCacheHours: integer("line_type_cache_hours")
      .notNull()
      .default(LIMITS.line_type_cache_hours),
    /**
     * SMS pumping signals (verification_attempts): when at least pumping_min_volume
     * verifications to one country were created in pumping_window_seconds and fewer than
     * pumping_min_conversion percent were approved: off | alert (audited once per window) |
     * refuse (429 country_throttled_pumping on sends and verifications to that country).
     */
    pumpingAction: text("pumping_action").$type<PumpingAction>().notNull().default("alert"),
    pumpingMinVolume: integer("pumping_min_volume").notNull().default(LIMITS.pumping_min_volume),
    pumpingMinConversion: integer("pumping_min_conversion")
      .notNull()
      .default(LIMITS.pumping_min_conversion),
    pumpingWindowSeconds: integer("pumping_window_seconds")
      .notNull()
      .default(LIMITS.pumping_window_seconds),
    /**
     * Fallback guidance (no delivery callbacks from Verify): a create_verification (sms) to a
     * number whose last SMS verification here is older than this and not approved answers with
     * `fallback` (channel call, reason no_confirmation_in_time). 0: off.
     */
    fallbackAfterSeconds: integer("fallback_after_seconds")
      .notNull()
      .default(LIMITS.fallback_after_seconds),
    forwardUrl: text("forward_url"),
    /** Client key (registry) that forwarded envelopes are encrypted to. */
    forwardClientKeyId: text("forward_client_key_id"),
    /** Sealed secret whose HKDF gives the forwarded envelopes' HMAC key (shown once). */
    forwardSecretSealed: sealedColumns.value("forward_secret_sealed"),
    forwardSecretVaultKeyId: sealedColumns.vaultKeyId("forward_secret_vault_key_id"),
    /** After a regeneration: the previous secret, still signing deliveries until the time. */
    forwardPreviousSecretSealed: sealedColumns.value("forward_previous_secret_sealed"),
    forwardPreviousSecretVaultKeyId: sealedColumns.vaultKeyId(
      "forward_previous_secret_vault_key_id",
    ),
    forwardPreviousValidUntil: ts("forward_previous_valid_until"),
    /** Deliveries failing since (null: the last one succeeded). */
    forwardFailingSince: ts("forward_failing_since"),
    /** Forwarding stopped: by a 410 from the receiver, or failures for too long. */
    forwardDisabledAt: ts("forward_disabled_at"),
    forwardDisabledReason: text("forward_disabled_reason"),
    /** Optional HTTP Basic credentials Twilio must send on the intake URLs. */
    intakeAuthUsername: text("intake_auth_username"),
    /** HMAC-SHA-256 of the password under a per-tenant key (the password is shown once). */
    intakeAuthHash: text("intake_auth_hash"),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("integrations_tenant_idx").on(t.tenantId, t.createdAt),
    index("integrations_credential_idx").on(t.credentialId),
    index("integrations_webhook_credential_idx").on(t.webhookCredentialId),
  ],
);

export type Integration = typeof integrations.$inferSelect;
