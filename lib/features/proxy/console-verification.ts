import "server-only";
import { and, asc, count, desc, eq, gt } from "drizzle-orm";
import { getDb } from "@/db";
import { auditEvents, verificationAttempts } from "@/db/schema";
import { VERIFICATION_LIFETIME_SECONDS } from "./pumping";

// What the test console can tell about a Twilio Verify verification beyond Twilio's answer,
// from PQSeal's own records. Twilio's answers carry neither the checks left nor a retry time.

/** Twilio Verify answers five checks of a verification; a sixth is refused (60202). */
export const VERIFY_MAX_CHECKS = 5;

/**
 * The checks of a verification Twilio answered, as the audit log records them: every answered
 * check is one `proxy.check_verification` event (succeeded) whose target is the verification
 * SID, whether made from the console or with an API key. This is the honest source: it is
 * written in the same commit as the call's outcome, and Twilio exposes no check count. Checks
 * made at Twilio directly, outside PQSeal, are not seen.
 */
export async function checksMade(tenantId: string, sid: string): Promise<number> {
  const [row] = await getDb()
    .select({ n: count() })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.tenantId, tenantId),
        eq(auditEvents.targetId, sid),
        eq(auditEvents.action, "proxy.check_verification"),
        eq(auditEvents.outcome, "succeeded"),
      ),
    );
  return row?.n ?? 0;
}

/**
 * When a verification refused by Twilio's own limits can be retried, from the verifications
 * PQSeal created (verification_attempts): a locked one (60202) expires ten minutes after it was
 * created; sends to a number (60203) are allowed again ten minutes after the first verification
 * of the current run (approximate: Twilio counts resends it does not report). Null when PQSeal
 * has no record of it (made outside PQSeal, or an e-mail address).
 */
export async function verifyRetryAt(
  tenantId: string,
  integrationId: string,
  code: "twilio_60202" | "twilio_60203",
  by: { sid?: string | undefined; numberHash?: string | undefined },
): Promise<Date | null> {
  const v = verificationAttempts;
  const since = new Date(Date.now() - VERIFICATION_LIFETIME_SECONDS * 1000);
  const which =
    code === "twilio_60202" && by.sid
      ? eq(v.sid, by.sid)
      : by.numberHash
        ? eq(v.numberHash, by.numberHash)
        : null;
  if (!which) return null;
  const [row] = await getDb()
    .select({ createdAt: v.createdAt })
    .from(v)
    .where(
      and(
        eq(v.tenantId, tenantId),
        eq(v.integrationId, integrationId),
        which,
        gt(v.createdAt, since),
      ),
    )
    // The locked verification is the newest to the number; the send window opened with the oldest.
    .orderBy(code === "twilio_60202" ? desc(v.createdAt) : asc(v.createdAt))
    .limit(1);
  return row ? new Date(row.createdAt.getTime() + VERIFICATION_LIFETIME_SECONDS * 1000) : null;
}
