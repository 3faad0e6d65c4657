import "server-only";
import { createHmac } from "node:crypto";
import { tenantHmacKey } from "@/lib/platform/kms/local-kms";
import { toE164 } from "@/lib/shared/phone";

export interface DestinationFingerprint {
  hmac: string;
  last2: string;
}

/**
 * What the audit log keeps of a phone number: HMAC-SHA-256 under a per-tenant key (so one
 * number's history can be searched by typing the number, and tenants cannot correlate
 * numbers) plus the last two digits for people to recognise it. Never the number itself.
 */
export function destinationFingerprint(tenantId: string, phone: string): DestinationFingerprint {
  const e164 = toE164(phone) ?? phone.replace(/[^\d+]/g, "");
  const key = tenantHmacKey(tenantId, "audit-destination");
  const hmac = createHmac("sha256", key).update(e164).digest("hex");
  return { hmac, last2: e164.slice(-2) };
}
