import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { proxiedMessages } from "@/db/schema";
import { destinationFingerprint } from "@/lib/platform/phone/fingerprint";

// Delivery state of messages sent through the proxy; Twilio's status callbacks (webhooks)
// move it along: queued -> sent -> delivered, or undelivered/failed with an error code.
const ORDER = [
  "accepted",
  "queued",
  "sending",
  "sent",
  "delivered",
  "undelivered",
  "failed",
  "read",
];

type MessageRow = typeof proxiedMessages.$inferInsert;

/** The delivery-state row of a message Twilio accepted (null: its answer named no SID). */
export function messageRow(
  tenantId: string,
  integrationId: string,
  result: unknown,
  to: string | undefined,
): MessageRow | null {
  const r = result as { sid?: string; status?: string };
  if (!r.sid) return null;
  const fp = to ? destinationFingerprint(tenantId, to) : null;
  return {
    sid: r.sid,
    tenantId,
    integrationId,
    status: r.status ?? "queued",
    toHmac: fp?.hmac ?? null,
    toLast2: fp?.last2 ?? null,
  };
}

/** Starts tracking messages (a group commit's worth in one statement); a known SID is kept. */
export async function trackMessages(tx: Tx, rows: MessageRow[]) {
  if (rows.length > 0) await tx.insert(proxiedMessages).values(rows).onConflictDoNothing();
}

/** Applies a status callback; never moves a message backwards (callbacks can arrive late). */
export async function applyMessageStatus(
  tx: Tx,
  tenantId: string,
  sid: string,
  status: string,
  errorCode: number | null,
) {
  const rank = ORDER.indexOf(status);
  await tx
    .update(proxiedMessages)
    .set({ status, errorCode, updatedAt: new Date() })
    .where(
      and(
        eq(proxiedMessages.tenantId, tenantId),
        eq(proxiedMessages.sid, sid),
        sql`array_position(${sql.raw(`array[${ORDER.map((o) => `'${o}'`).join(",")}]`)}::text[], ${proxiedMessages.status}) <= ${rank < 0 ? ORDER.length : rank + 1}`,
      ),
    );
}

export async function recentMessages(tenantId: string, integrationId: string, limit = 20) {
  return getDb()
    .select()
    .from(proxiedMessages)
    .where(
      and(eq(proxiedMessages.tenantId, tenantId), eq(proxiedMessages.integrationId, integrationId)),
    )
    .orderBy(desc(proxiedMessages.createdAt))
    .limit(limit);
}
