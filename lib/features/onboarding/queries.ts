import "server-only";
import { and, eq, gt, inArray, isNull, ne, or } from "drizzle-orm";
import { getDb } from "@/db";
import { apiKeys, auditEvents, credentials, integrations, proxiedMessages } from "@/db/schema";
import type { OnboardingProgress } from "./steps";

/**
 * Which first-run steps this tenant has done, from its rows: a Twilio credential (a webhook
 * signing secret does not count), an integration, a usable (unrevoked, unexpired) API key, and
 * a message Twilio accepted through the proxy or the test console: a tracked message, or the
 * audit event of an SMS, a call or a verification (an integration may allow Verify alone;
 * messages are tracked only when Twilio names a SID; either may have been purged).
 */
const FIRST_SEND_ACTIONS = ["proxy.send_sms", "proxy.make_call", "proxy.create_verification"];

export async function onboardingProgress(tenantId: string): Promise<OnboardingProgress> {
  const db = getDb();
  const any = async (rows: Promise<unknown[]>) => (await rows).length > 0;
  const [credential, integration, apiKey, message, sendEvent] = await Promise.all([
    any(
      db
        .select({ id: credentials.id })
        .from(credentials)
        .where(and(eq(credentials.tenantId, tenantId), ne(credentials.type, "webhook_secret")))
        .limit(1),
    ),
    any(
      db
        .select({ id: integrations.id })
        .from(integrations)
        .where(eq(integrations.tenantId, tenantId))
        .limit(1),
    ),
    any(
      db
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .where(
          and(
            eq(apiKeys.tenantId, tenantId),
            isNull(apiKeys.revokedAt),
            or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, new Date())),
          ),
        )
        .limit(1),
    ),
    any(
      db
        .select({ sid: proxiedMessages.sid })
        .from(proxiedMessages)
        .where(eq(proxiedMessages.tenantId, tenantId))
        .limit(1),
    ),
    any(
      db
        .select({ id: auditEvents.id })
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.tenantId, tenantId),
            inArray(auditEvents.action, FIRST_SEND_ACTIONS),
            eq(auditEvents.outcome, "succeeded"),
          ),
        )
        .limit(1),
    ),
  ]);
  return { credential, integration, apiKey, firstSend: message || sendEvent };
}
