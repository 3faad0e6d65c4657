import "server-only";
import { getDb } from "@/db";
import type { Acting } from "@/lib/platform/request-context/acting";
import { suppressed, tryTakeToken } from "@/lib/platform/limits/buckets";
import { recordAudit, type AuditEvent } from "./record-audit";

/** At most `burst` events in a row per budget, then one per `refillSeconds`. */
export type AuditBudget = { key: string; burst: number; refillSeconds: number };

/** The budget refusals share by default: 20 in a row, then one every 6 s. */
export const REFUSAL_BUDGET = { burst: 20, refillSeconds: 6 } as const;

/**
 * Records a refusal anyone can repeat at will (a forged webhook, a request over its rate, a
 * key used from the wrong address) without letting the repeats flood the audit log: each
 * budget records at most `burst` events in a row, refilled one per `refillSeconds`; the rest
 * are counted, and the next recorded event carries that count (`unrecorded_refusals_before`).
 * Answers whether this one was recorded.
 */
export async function recordWithinBudget(
  by: Acting,
  budget: AuditBudget,
  event: AuditEvent,
): Promise<boolean> {
  const { allowed } = await tryTakeToken(
    by.tenantId,
    budget.key,
    budget.burst,
    1 / budget.refillSeconds,
  );
  if (!allowed) {
    await suppressed.count(by.tenantId, budget.key);
    return false;
  }
  // Drained in the event's own transaction: if the event is not written, the count stays.
  await getDb().transaction(async (tx) => {
    const unrecorded = await suppressed.drain(budget.key, tx);
    await recordAudit(tx, by, {
      ...event,
      details: {
        ...event.details,
        ...(unrecorded ? { unrecorded_refusals_before: unrecorded } : {}),
      },
    });
  });
  return true;
}
