import "server-only";
import { and, eq } from "drizzle-orm";
import type twilio from "twilio";
import { getDb } from "@/db";
import { lineTypeLookups, type Integration } from "@/db/schema";
import type { ErrorCode } from "@/lib/platform/errors/app-error";
import { logger } from "@/lib/platform/log/logger";
import { destinationFingerprint } from "@/lib/platform/phone/fingerprint";
import type { Operation } from "@/lib/features/integrations/schemas";

// Line types (issue #21): Twilio Lookup v2 with line type intelligence, through the official
// SDK. The `lookup_number` operation answers it; an integration with `line_type_check` asks it
// before SMS and voice verification, refusing a landline for SMS and treating a non-fixed VoIP
// number per `voip_policy`. Answers are cached per tenant and keyed number hash (never the
// number) for the integration's `line_type_cache_hours`: one number costs one lookup per period.

/** What `lookup_number` answers (and what the policy reads). */
export type LookupResult = {
  phone_number: string | null;
  valid: boolean | null;
  country_code: string | null;
  /** Twilio's line_type_intelligence.type: mobile, landline, nonFixedVoip, … (null: unknown). */
  line_type: string | null;
  carrier_name: string | null;
  mobile_country_code: string | null;
  mobile_network_code: string | null;
};

/** The Lookup v2 call for one E.164 number. */
export async function lookupNumber(client: twilio.Twilio, e164: string): Promise<LookupResult> {
  const found = await client.lookups.v2
    .phoneNumbers(e164)
    .fetch({ fields: "line_type_intelligence" });
  // Null when Twilio has no line type intelligence for the number.
  const info = (found.lineTypeIntelligence ?? {}) as Partial<typeof found.lineTypeIntelligence>;
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  return {
    phone_number: text(found.phoneNumber),
    valid: typeof found.valid === "boolean" ? found.valid : null,
    country_code: text(found.countryCode),
    line_type: text(info.type),
    carrier_name: text(info.carrierName),
    mobile_country_code: text(info.mobileCountryCode),
    mobile_network_code: text(info.mobileNetworkCode),
  };
}

/**
 * The channel whose line type an integration with `line_type_check` checks before `operation`
 * (send_sms: sms; create_verification: its sms or call channel), or null: no lookup.
 */
export function lineTypeChannel(
  integration: Integration,
  operation: Operation,
  payload: Record<string, unknown>,
): "sms" | "call" | null {
  if (!integration.lineTypeCheck) return null;
  if (operation === "send_sms") return "sms";
  if (operation === "create_verification") {
    return payload.channel === "sms" || payload.channel === "call" ? payload.channel : null;
  }
  return null;
}

export type LineType = { lineType: string | null; carrier: string | null };

/** A cached line type younger than `maxAgeHours`, if any. */
export async function cachedLineType(
  tenantId: string,
  e164: string,
  maxAgeHours: number,
): Promise<LineType | null> {
  const numberHash = destinationFingerprint(tenantId, e164).hmac;
  const [row] = await getDb()
    .select()
    .from(lineTypeLookups)
    .where(and(eq(lineTypeLookups.tenantId, tenantId), eq(lineTypeLookups.numberHash, numberHash)))
    .limit(1);
  if (!row || Date.now() - row.lookedUpAt.getTime() >= maxAgeHours * 3_600_000) return null;
  return { lineType: row.lineType, carrier: row.carrier };
}

/** Keeps what Lookup answered for a number (by its keyed hash), replacing an older answer. */
export async function rememberLineType(tenantId: string, e164: string, found: LookupResult) {
  const numberHash = destinationFingerprint(tenantId, e164).hmac;
  const values = {
    lineType: found.line_type,
    carrier: found.carrier_name?.slice(0, 200) ?? null,
    lookedUpAt: new Date(),
  };
  // A cache write never fails the request: the Lookup was made and is audited with it.
  try {
    await getDb()
      .insert(lineTypeLookups)
      .values({ tenantId, numberHash, ...values })
      .onConflictDoUpdate({
        target: [lineTypeLookups.tenantId, lineTypeLookups.numberHash],
        set: values,
      });
  } catch (error) {
    logger().warn({ err: error }, "line-type cache write failed");
  }
}

type Refusal = { code: ErrorCode; message: string; remediation: string };

/**
 * The policy's verdict on a line type: a refusal, a flag for the audit event, or nothing.
 * Landlines cannot receive SMS (voice can reach them); non-fixed VoIP numbers (the kind that
 * costs nothing to get, used by fraud) follow `voip_policy`. An unknown line type passes.
 */
export function judgeLineType(
  integration: Integration,
  channel: "sms" | "call",
  lineType: string | null,
): { refusal: Refusal } | { flagged: "voip" } | null {
  if (lineType === "landline" && channel === "sms") {
    return {
      refusal: {
        code: "landline_not_sms_capable",
        message: "The destination is a landline: it cannot receive SMS.",
        remediation:
          'Reach it by voice: create_verification with channel: "call" (or make_call); or ask for a mobile number.',
      },
    };
  }
  if (lineType === "nonFixedVoip") {
    if (integration.voipPolicy === "refuse") {
      return {
        refusal: {
          code: "voip_not_allowed",
          message: "The destination is a non-fixed VoIP number, which this integration refuses.",
          remediation:
            "Ask for a mobile or landline number; an admin can set the integration's voip_policy to flag or allow.",
        },
      };
    }
    if (integration.voipPolicy === "flag") return { flagged: "voip" };
  }
  return null;
}
