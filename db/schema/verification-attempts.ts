import { index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, ts } from "./columns";
import { tenants } from "./tenants";

// Verifications created through the proxy (issue #21): per integration and destination
// country, the approved share over a window is the SMS pumping signal; a verification whose SMS
// was reported undelivered (30003) makes the next create_verification to the number suggest
// channel call. The number is kept only as its keyed hash (lib/platform/phone/fingerprint.ts).
export const verificationAttempts = pgTable(
  "verification_attempts",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** Twilio's verification SID (VE…). */
    sid: text("sid").notNull(),
    integrationId: text("integration_id").notNull(),
    /** ISO 3166 code of the destination ("unknown" when the number named none). */
    country: text("country").notNull(),
    numberHash: text("number_hash").notNull(),
    channel: text("channel").notNull(),
    createdAt: createdAt(),
    approvedAt: ts("approved_at"),
    smsFailedAt: ts("sms_failed_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.sid] }),
    index("verification_attempts_country_idx").on(
      t.tenantId,
      t.integrationId,
      t.country,
      t.createdAt,
    ),
    index("verification_attempts_number_idx").on(
      t.tenantId,
      t.integrationId,
      t.numberHash,
      t.createdAt,
    ),
  ],
);
