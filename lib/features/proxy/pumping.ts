import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb, rowsOf, type Tx } from "@/db";
import { integrations, proxiedMessages, verificationAttempts, type Integration } from "@/db/schema";

// SMS pumping signals and fallback guidance (issue #21), from the verifications created through
// the proxy (verification_attempts): per integration and destination country, the share of
// verifications approved over the integration's pumping window; and per number, whether its
// last verification's SMS was reported undelivered (30003) or went unapproved for the
// integration's fallback_after_seconds.

export type PumpingSignal = {
  country: string;
  created: number;
  approved: number;
  /** Seconds until the oldest verification counted leaves the window. */
  retryAfterSeconds: number;
};

/** The country's signal when it is over the integration's threshold, else null. */
export async function pumpingSignal(
  tenantId: string,
  integration: Integration,
  country: string,
): Promise<PumpingSignal | null> {
  if (integration.pumpingAction === "off") return null;
  const window = integration.pumpingWindowSeconds;
  const [row] = rowsOf<{ created: number; approved: number; oldest: string | Date | null }>(
    await getDb().execute(sql`
      select count(*)::int as created, count(${verificationAttempts.approvedAt})::int as approved,
             min(${verificationAttempts.createdAt}) as oldest
      from ${verificationAttempts}
      where ${verificationAttempts.tenantId} = ${tenantId}
        and ${verificationAttempts.integrationId} = ${integration.id}
        and ${verificationAttempts.country} = ${country}
        and ${verificationAttempts.createdAt} > now() - make_interval(secs => ${window})`),
  );
  if (!row || !overThreshold(row.created, row.approved, integration)) return null;
  const oldest = row.oldest ? new Date(row.oldest).getTime() : Date.now();
  const retryAfterSeconds = Math.max(1, Math.ceil((oldest + window * 1000 - Date.now()) / 1000));
  return { country, created: row.created, approved: row.approved, retryAfterSeconds };
}

function overThreshold(created: number, approved: number, integration: Integration) {
  return (
    created >= integration.pumpingMinVolume &&
    approved * 100 < integration.pumpingMinConversion * created
  );
}

/** A verification Twilio created (a SID kept once: Twilio answers a pending one again). */
export async function recordVerification(row: {
  tenantId: string;
  integrationId: string;
  sid: string;
  country: string;
  numberHash: string;
  channel: string;
}) {
  await getDb().insert(verificationAttempts).values(row).onConflictDoNothing();
}

/** A check_verification Twilio answered `approved`. */
export async function markApproved(tenantId: string, integrationId: string, sid: string) {
  await getDb()
    .update(verificationAttempts)
    .set({ approvedAt: new Date() })
    .where(
      and(
        eq(verificationAttempts.tenantId, tenantId),
        eq(verificationAttempts.integrationId, integrationId),
        eq(verificationAttempts.sid, sid),
        sql`${verificationAttempts.approvedAt} is null`,
      ),
    );
}

/**
 * How long Twilio keeps a verification pending (ten minutes; its send and check limits clear
 * with it): older attempts say nothing about the current one.
 */
export const VERIFICATION_LIFETIME_SECONDS = 600;

export type FallbackReason = "sms_undelivered" | "no_confirmation_in_time";

/**
 * Why a new SMS verification to the number should suggest a call, from the last verification to
 * it in the integration (unapproved): its SMS was reported undelivered (30003), or it was an SMS
 * verification created more than the integration's fallback_after_seconds ago (0: off). Verify
 * sends no delivery callbacks, so the time stands in for "no delivered status". Else null.
 */
export async function fallbackReason(
  tenantId: string,
  integration: Integration,
  numberHash: string,
): Promise<FallbackReason | null> {
  const after = integration.fallbackAfterSeconds;
  const [last] = await getDb()
    .select({
      failed: verificationAttempts.smsFailedAt,
      approved: verificationAttempts.approvedAt,
      overdue: sql<boolean>`${after} > 0 and ${verificationAttempts.channel} = 'sms'
        and ${verificationAttempts.createdAt} < now() - make_interval(secs => ${after})`,
    })
    .from(verificationAttempts)
    .where(
      and(
        eq(verificationAttempts.tenantId, tenantId),
        eq(verificationAttempts.integrationId, integration.id),
        eq(verificationAttempts.numberHash, numberHash),
        // Only the current attempt speaks: a Verify verification lives 10 minutes.
        sql`${verificationAttempts.createdAt} > now() - make_interval(secs => ${VERIFICATION_LIFETIME_SECONDS})`,
      ),
    )
    .orderBy(desc(verificationAttempts.createdAt))
    .limit(1);
  if (!last || last.approved) return null;
  if (last.failed) return "sms_undelivered";
  return last.overdue ? "no_confirmation_in_time" : null;
}

/** Twilio's "unreachable destination handset": the SMS will not arrive, a call may. */
const SMS_UNDELIVERED_CODES = [30003];

/**
 * A status callback reporting a proxied SMS undelivered (30003): the last unapproved
 * verification to the same number, in the same integration, is marked (in the callback's
 * transaction). The product never switches channel itself: the next create_verification answers
 * with `fallback` guidance.
 */
export async function markSmsUndelivered(
  tx: Tx,
  tenantId: string,
  messageSid: string,
  errorCode: number | null,
) {
  if (errorCode === null || !SMS_UNDELIVERED_CODES.includes(errorCode)) return;
  const [message] = await tx
    .select({ integrationId: proxiedMessages.integrationId, toHmac: proxiedMessages.toHmac })
    .from(proxiedMessages)
    .where(and(eq(proxiedMessages.tenantId, tenantId), eq(proxiedMessages.sid, messageSid)));
  if (!message?.toHmac) return;
  await tx.execute(sql`
    update ${verificationAttempts} set sms_failed_at = now()
    where tenant_id = ${tenantId} and sid = (
      select sid from ${verificationAttempts}
      where tenant_id = ${tenantId} and integration_id = ${message.integrationId}
        and number_hash = ${message.toHmac} and channel = 'sms'
        and created_at > now() - make_interval(secs => ${VERIFICATION_LIFETIME_SECONDS})
      order by created_at desc limit 1)
      and approved_at is null`);
}

export type SuspectedPumping = {
  integrationId: string;
  integrationName: string;
  action: string;
  country: string;
  created: number;
  approved: number;
};

/** The dashboard's list: countries over their integration's threshold now, in the tenant. */
export async function suspectedPumping(tenantId: string): Promise<SuspectedPumping[]> {
  const v = verificationAttempts;
  const i = integrations;
  return rowsOf<SuspectedPumping>(
    await getDb().execute(sql`
      select ${i.id} as "integrationId", ${i.name} as "integrationName",
             ${i.pumpingAction} as action, ${v.country} as country,
             count(*)::int as created, count(${v.approvedAt})::int as approved
      from ${v} join ${i} on ${i.id} = ${v.integrationId} and ${i.tenantId} = ${v.tenantId}
      where ${v.tenantId} = ${tenantId} and ${i.pumpingAction} <> 'off'
        and ${v.createdAt} > now() - make_interval(secs => ${i.pumpingWindowSeconds})
      group by ${i.id}, ${i.name}, ${i.pumpingAction}, ${i.pumpingMinVolume},
               ${i.pumpingMinConversion}, ${v.country}
      having count(*) >= ${i.pumpingMinVolume}
         and count(${v.approvedAt}) * 100 < ${i.pumpingMinConversion} * count(*)
      order by created desc
      limit 50`),
  );
}
