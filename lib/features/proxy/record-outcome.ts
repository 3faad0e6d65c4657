import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { logger } from "@/lib/platform/log/logger";
import { appendAudit } from "@/lib/platform/audit/group-commit";
import type { AuditEvent } from "@/lib/platform/audit/record-audit";
import { spoolAudit, type SpoolEntry } from "@/lib/platform/audit/spool";
import { AppError } from "@/lib/platform/errors/app-error";
import type { Acting } from "@/lib/platform/request-context/acting";
import { completeClaim, type Scope } from "./idempotency";
import { messageRow, trackMessages } from "./messages";
import { sidOf } from "./operations";

/** What a proxied call leaves behind once Twilio answered: its audit event and its effects. */
export interface ProxyOutcomeRecord {
  by: Acting;
  event: AuditEvent;
  integrationId: string;
  operation: string;
  success: boolean;
  result: unknown;
  /** The E.164 destination (proxied message state keeps its keyed hash). */
  destination: string | null;
  scope: Scope | null;
  httpStatus: number;
  payload: unknown;
}

const SPOOL_KIND = "proxy.outcome";

/** The audit event, the message state and the idempotent result, in one group commit. */
function recordOutcome(r: ProxyOutcomeRecord): Promise<string> {
  const message =
    r.operation === "send_sms" && r.success
      ? messageRow(r.by.tenantId, r.integrationId, r.result, r.destination ?? undefined)
      : null;
  const stored = r.scope;
  return appendAudit(
    r.by,
    r.event,
    stored
      ? (tx, id) =>
          completeClaim(tx, stored, {
            httpStatus: r.httpStatus,
            success: r.success,
            auditEventId: id,
            result: r.payload,
          })
      : undefined,
    message ? { write: trackMessages, row: message } : undefined,
  );
}

/**
 * Records the outcome of a call Twilio already answered. If the database cannot take it
 * (an outage), the record is spooled to disk and written by the recovery job when the
 * database is back, and the client gets 503 `audit_pending` naming the Twilio SID, so it knows
 * the call was made and does not send it again. Its Idempotency-Key stays claimed until then,
 * and then answers with the stored result.
 */
export async function recordOrSpool(r: ProxyOutcomeRecord): Promise<string> {
  try {
    return await recordOutcome(r);
  } catch (error) {
    const sid = sidOf(r.result);
    // The trace that a call was made, whatever happens next (a SID is not a secret).
    const trace = {
      tenantId: r.by.tenantId,
      integrationId: r.integrationId,
      sid,
      action: r.event.action,
    };
    try {
      // The spool id goes into the event, so a replayed entry is written once.
      const id = randomUUID();
      const spooled = {
        ...r,
        // answered_at: the event itself is dated when the recovery job writes it.
        event: {
          ...r.event,
          details: { ...r.event.details, spool_id: id, answered_at: new Date().toISOString() },
        },
      };
      await spoolAudit({ id, kind: SPOOL_KIND, tenantId: r.by.tenantId, payload: spooled });
      logger().error({ ...trace, err: error }, "audit write failed after Twilio answered: spooled");
    } catch (spoolError) {
      logger().error(
        { ...trace, err: error, spoolError },
        "audit write failed after Twilio answered and the spool failed too: reconcile by SID",
      );
    }
    throw new AppError(
      "audit_pending",
      `Twilio answered${sid ? ` (${sid})` : ""}, but its audit event cannot be written right now; it is kept and written as soon as the database is back. Do not send this request again.`,
      {
        remediation: r.scope
          ? "Retry later with the same Idempotency-Key to get the stored result."
          : "Look the call up by its Twilio SID, or in the audit log once it is written.",
        cause: error,
      },
    );
  }
}

/** The recovery job's handlers for spooled proxy outcomes (lib/start-up.ts runs them). */
export const proxySpoolHandlers: Record<string, (entry: SpoolEntry) => Promise<void>> = {
  [SPOOL_KIND]: async (entry) => {
    // Written already (a crash between the commit and the spool file's removal)?
    const [done] = rowsOf<{ id: string }>(
      await getDb().execute(
        sql`select id from audit_events where tenant_id = ${entry.tenantId}
            and details::jsonb ->> 'spool_id' = ${entry.id} limit 1`,
      ),
    );
    if (!done) await recordOutcome(entry.payload as ProxyOutcomeRecord);
  },
};
