import "server-only";
import { canonicalJson } from "@/lib/shared/jcs";
import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { auditChainHeads, auditEvents } from "@/db/schema";
import type { AuditOutcome } from "@/lib/shared/audit-vocabulary";
import type { Acting } from "@/lib/platform/request-context/acting";
import { newId } from "@/lib/shared/ids";
import { eventHash, GENESIS_HASH, type ChainRecord } from "./chain";
import { destinationFingerprint } from "@/lib/platform/phone/fingerprint";
import { looksLikePhoneNumber } from "@/lib/shared/phone";
import type { AuditAction } from "@/lib/shared/audit-vocabulary";

/** What happened; who did it comes from the caller's Acting. */
export interface AuditEvent {
  action: AuditAction;
  outcome: AuditOutcome;
  target?: { type: string; id: string };
  integrationId?: string;
  /** A phone number; stored only as keyed HMAC + last two digits. */
  destination?: string;
  details?: Record<string, unknown>;
}

/** One event with its actor, as queued by the group commit. */
export interface AuditInput {
  by: Acting;
  event: AuditEvent;
  /** The event's id when the caller needs it before the event is written (else made here). */
  id?: string;
}

const MAX_TEXT = 1_000;
const MAX_DETAILS = 16_000;

// Keys that must never appear in details, whatever their value.
const SECRET_KEY =
  /pass(word)?|secret|token|otp|^code$|private|^credentials?$|^values$|^body$|auth_?token/i;

function assertSafeDetails(value: unknown, path: string): void {
  if (typeof value === "string" && looksLikePhoneNumber(value)) {
    throw new Error(`audit details ${path} looks like a phone number; pass it as destination`);
  }
  if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (SECRET_KEY.test(key)) throw new Error(`audit details may not carry "${key}"`);
      assertSafeDetails(inner, `${path}.${key}`);
    }
  }
}

/**
 * Throws if the recorder would refuse this event (a secret-looking key, a phone-number-looking
 * value, oversized details). Hot paths call it before an irreversible step (a Twilio call), so
 * nothing happens that cannot be audited.
 */
export function assertAuditable(event: AuditEvent): void {
  assertSafeDetails(event.details ?? {}, "details");
  if (canonicalJson(event.details ?? {}).length > MAX_DETAILS)
    throw new Error(`audit details of ${event.action} exceed ${MAX_DETAILS} characters`);
}

/**
 * Appends one event to the tenant's hash chain inside the caller's transaction, so the event
 * and the change it records commit together; if this throws, the whole action rolls back
 * (fail closed). The head row lock serialises appends per tenant.
 */
export async function recordAudit(tx: Tx, by: Acting, event: AuditEvent): Promise<string> {
  const [id] = await recordAuditBatch(tx, by.tenantId, [{ by, event }]);
  if (!id) throw new Error("audit append returned nothing");
  return id;
}

/** Appends several events of one tenant, in order, under one head lock (group commit). */
export async function recordAuditBatch(
  tx: Tx,
  tenantId: string,
  inputs: AuditInput[],
): Promise<string[]> {
  // Chain fields are null or non-empty, so a CSV export (where both read as "") stays verifiable.
  // Free text from requests (user agent, request id) is kept to MAX_TEXT characters; details
  // are our own, small, and bounded so bulk reads (export workers) have a known row size.
  const text = (v: string | null | undefined) => (v ? v.slice(0, MAX_TEXT) : null);
  if (inputs.length === 0) return [];
  for (const { by, event } of inputs) {
    if (by.tenantId !== tenantId) throw new Error("audit batch mixes tenants");
    assertAuditable(event);
  }
  const [head] = await tx
    .insert(auditChainHeads)
    .values({ tenantId, seq: 0, hash: GENESIS_HASH, anchorHash: GENESIS_HASH })
    .onConflictDoUpdate({
      target: auditChainHeads.tenantId,
      set: { tenantId: sql`excluded.tenant_id` },
    })
    .returning();
  if (!head) throw new Error("audit chain head missing");

  let { seq, hash: prevHash } = head;
  // Time never goes backwards within a chain, so time ranges map onto seq ranges.
  let lastTime = head.lastOccurredAt?.getTime() ?? 0;
  const rows: (typeof auditEvents.$inferInsert)[] = [];
  for (const { by, event: input, id } of inputs) {
    const details = input.details ?? {};
    lastTime = Math.max(Date.now(), lastTime);
    const occurredAt = new Date(lastTime);
    const destination = input.destination
      ? destinationFingerprint(tenantId, input.destination)
      : null;
    const record: ChainRecord = {
      id: id ?? newId("audit"),
      tenant_id: tenantId,
      seq: ++seq,
      occurred_at: occurredAt.toISOString(),
      actor_type: by.actor.type,
      actor_id: text(by.actor.id),
      actor_label: text(by.actor.label),
      action: input.action,
      target_type: text(input.target?.type),
      target_id: text(input.target?.id),
      integration_id: text(input.integrationId),
      outcome: input.outcome,
      ip: text(by.meta.ip),
      user_agent: text(by.meta.userAgent),
      request_id: text(by.meta.requestId),
      destination_hmac: destination?.hmac ?? null,
      destination_last2: destination?.last2 ?? null,
      details,
    };
    const hash = eventHash(prevHash, record);
    rows.push({
      id: record.id,
      tenantId,
      seq: record.seq,
      occurredAt,
      actorType: record.actor_type,
      actorId: record.actor_id,
      actorLabel: record.actor_label,
      action: record.action,
      targetType: record.target_type,
      targetId: record.target_id,
      integrationId: record.integration_id,
      outcome: input.outcome,
      ip: record.ip,
      userAgent: record.user_agent,
      requestId: record.request_id,
      destinationHmac: record.destination_hmac,
      destinationLast2: record.destination_last2,
      details,
      prevHash,
      hash,
    });
    prevHash = hash;
  }
  await tx.insert(auditEvents).values(rows);
  await tx
    .update(auditChainHeads)
    .set({ seq, hash: prevHash, lastOccurredAt: new Date(lastTime) })
    .where(eq(auditChainHeads.tenantId, tenantId));
  return rows.map((r) => r.id);
}

/** The chain record of a stored row, as hashed and exported. */
export function toChainRecord(row: typeof auditEvents.$inferSelect): ChainRecord {
  return {
    id: row.id,
    tenant_id: row.tenantId,
    seq: row.seq,
    occurred_at: row.occurredAt.toISOString(),
    actor_type: row.actorType,
    actor_id: row.actorId,
    actor_label: row.actorLabel,
    action: row.action,
    target_type: row.targetType,
    target_id: row.targetId,
    integration_id: row.integrationId,
    outcome: row.outcome,
    ip: row.ip,
    user_agent: row.userAgent,
    request_id: row.requestId,
    destination_hmac: row.destinationHmac,
    destination_last2: row.destinationLast2,
    details: row.details,
  };
}
