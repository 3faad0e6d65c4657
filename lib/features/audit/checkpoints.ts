import "server-only";
import { notFound } from "@/lib/platform/errors/app-error";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { auditChainHeads, auditCheckpoints, tenants, webhookDeliveries } from "@/db/schema";
import {
  currentSigningKey,
  getSigningKeyOrThrow,
  signWith,
  SIGNING_ALGORITHM,
  verifySignature,
} from "@/lib/platform/keys/signing-keys";
import { env } from "@/lib/platform/config/env";
import { newId } from "@/lib/shared/ids";
import { checkpointMessage } from "@/lib/platform/audit/chain";
import { recordAudit, type AuditEvent } from "@/lib/platform/audit/record-audit";
import { requestTimestamp } from "@/lib/platform/audit/timestamp";
import { logger } from "@/lib/platform/log/logger";
import { systemActing, type Acting } from "@/lib/platform/request-context/acting";

export interface SignedCheckpoint {
  id: string;
  tenant_id: string;
  seq: number;
  head_hash: string;
  signed_at: string;
  algorithm: string;
  key_id: string;
  public_key: string;
  fingerprint: string;
  signature: string;
  /** base64 DER RFC 3161 TimeStampToken over SHA-256 of checkpointMessage (AUDIT_TSA_URL). */
  timestamp_token?: string;
  timestamp_authority?: string | null;
}

/** What a checkpoint's audit event is made from: the checkpoint as stored. */
export interface CheckpointFacts {
  id: string;
  seq: number;
  head_hash: string;
  key_id: string;
}

/** The event of a checkpoint signed on its own (on demand, or by the job). */
const checkpointSigned = (c: CheckpointFacts): AuditEvent => ({
  action: "audit.checkpoint_signed",
  outcome: "succeeded",
  target: { type: "audit_checkpoint", id: c.id },
  details: { seq: c.seq, head_hash: c.head_hash, key_id: c.key_id },
});

/**
 * Signs the tenant's current chain head with its ML-DSA-65 key and stores the checkpoint.
 * The checkpoint is itself audited, as the next event after the head it covers: by default
 * `audit.checkpoint_signed`; a caller that signs as part of something audited (an export)
 * passes `event` so that one event records both, in the checkpoint's transaction.
 */
export async function signCheckpoint(
  by: Acting,
  event: (c: CheckpointFacts) => AuditEvent = checkpointSigned,
): Promise<SignedCheckpoint | null> {
  const { tenantId } = by;
  const key = await currentSigningKey(tenantId);
  const signed = await getDb().transaction(async (tx) => {
    // Lock the head so the signed seq/hash are exactly the chain's state.
    const [head] = await tx
      .select()
      .from(auditChainHeads)
      .where(eq(auditChainHeads.tenantId, tenantId))
      .for("update");
    if (!head || head.seq === 0) return null;
    const signedAt = new Date().toISOString();
    const message = checkpointMessage({
      tenant_id: tenantId,
      seq: head.seq,
      head_hash: head.hash,
      signed_at: signedAt,
    });
    const signature = Buffer.from(await signWith(key, message)).toString("base64");
    const id = newId("checkpoint");
    await tx.insert(auditCheckpoints).values({
      id,
      tenantId,
      seq: head.seq,
      headHash: head.hash,
      signedAt: new Date(signedAt),
      keyId: key.id,
      signature,
    });
    // A copy outside the database (the tenant's checkpoint forward URL), through the durable
    // forwarding queue, committed with the checkpoint.
    const [tenant] = await tx
      .select({ forwardUrl: tenants.checkpointForwardUrl })
      .from(tenants)
      .where(eq(tenants.id, tenantId));
    if (tenant?.forwardUrl) {
      await tx
        .insert(webhookDeliveries)
        .values({ id: newId("delivery"), tenantId, checkpointId: id, state: "pending" });
    }
    await recordAudit(tx, by, event({ id, seq: head.seq, head_hash: head.hash, key_id: key.id }));
    return {
      id,
      tenant_id: tenantId,
      seq: head.seq,
      head_hash: head.hash,
      signed_at: signedAt,
      algorithm: SIGNING_ALGORITHM,
      key_id: key.id,
      public_key: key.publicKey,
      fingerprint: key.fingerprint,
      signature,
    };
  });
  return signed ? timestamped(signed) : null;
}

/**
 * Has the checkpoint countersigned by the RFC 3161 authority in AUDIT_TSA_URL, if one is set,
 * after its transaction committed (a slow authority holds no lock). The token is signed by a
 * party the database owner does not control, so a chain rewritten later cannot get a token
 * dated before it. An unreachable or misbehaving authority is logged and leaves the
 * checkpoint without a timestamp; it never fails the checkpoint.
 */
async function timestamped(c: SignedCheckpoint): Promise<SignedCheckpoint> {
  const tsaUrl = env().AUDIT_TSA_URL;
  if (!tsaUrl) return c;
  // Recorded without the query string, which may carry an access key.
  const url = new URL(tsaUrl);
  const authority = `${url.origin}${url.pathname}`;
  try {
    const { token } = await requestTimestamp(tsaUrl, checkpointMessage(c));
    await getDb()
      .update(auditCheckpoints)
      .set({ timestampToken: token, timestampAuthority: authority })
      .where(and(eq(auditCheckpoints.tenantId, c.tenant_id), eq(auditCheckpoints.id, c.id)));
    return { ...c, timestamp_token: token, timestamp_authority: authority };
  } catch (error) {
    logger().warn(
      { err: error, tenantId: c.tenant_id, checkpointId: c.id, authority },
      "audit checkpoint not timestamped: the time stamping authority failed",
    );
    return c;
  }
}

/** A stored checkpoint with its signing key's public part: what files and receivers get. */
async function signedCheckpointOf(
  row: typeof auditCheckpoints.$inferSelect,
): Promise<SignedCheckpoint> {
  const key = await getSigningKeyOrThrow({ tenantId: row.tenantId, id: row.keyId });
  return {
    id: row.id,
    tenant_id: row.tenantId,
    seq: row.seq,
    head_hash: row.headHash,
    signed_at: row.signedAt.toISOString(),
    algorithm: key.algorithm,
    key_id: key.id,
    public_key: key.publicKey,
    fingerprint: key.fingerprint,
    signature: row.signature,
    ...(row.timestampToken && {
      timestamp_token: row.timestampToken,
      timestamp_authority: row.timestampAuthority,
    }),
  };
}

export async function latestCheckpoint(tenantId: string): Promise<SignedCheckpoint | null> {
  const [row] = await getDb()
    .select()
    .from(auditCheckpoints)
    .where(eq(auditCheckpoints.tenantId, tenantId))
    .orderBy(desc(auditCheckpoints.seq), desc(auditCheckpoints.signedAt))
    .limit(1);
  return row ? signedCheckpointOf(row) : null;
}

/** One checkpoint of the tenant; another tenant's id is "not found". */
export async function getSignedCheckpointOrThrow({
  tenantId,
  id,
}: {
  tenantId: string;
  id: string;
}): Promise<SignedCheckpoint> {
  const [row] = await getDb()
    .select()
    .from(auditCheckpoints)
    .where(and(eq(auditCheckpoints.tenantId, tenantId), eq(auditCheckpoints.id, id)));
  if (!row) throw notFound("Checkpoint");
  return signedCheckpointOf(row);
}

export function verifyCheckpoint(c: SignedCheckpoint): boolean {
  return verifySignature(c.public_key, checkpointMessage(c), Buffer.from(c.signature, "base64"));
}

/**
 * The checkpoint job (every AUDIT_CHECKPOINT_INTERVAL_MINUTES, default 60): tenants whose
 * newest checkpoint is older than `maxAgeMinutes` AND whose chain has grown since it. A
 * checkpoint appends its own event (`audit.checkpoint_signed`, or an export's
 * `audit.exported`), so "grown" means more than that one event past the signed seq; idle
 * tenants are not re-signed. The interval bounds how many of the newest events someone with
 * database access could delete unseen (verifyChain checks the chain against the newest
 * checkpoint).
 */
export async function signDueCheckpoints(
  now = new Date(),
  maxAgeMinutes = env().AUDIT_CHECKPOINT_INTERVAL_MINUTES || 60,
): Promise<number> {
  // Five minutes of slack: the job runs every interval, and the last checkpoint was signed a
  // moment after the previous run started; without it checkpoints would come every 2 intervals.
  const cutoff = new Date(now.getTime() - Math.max(1, maxAgeMinutes - 5) * 60 * 1000);
  const last = getDb()
    .select({
      tenantId: auditCheckpoints.tenantId,
      seq: sql<number>`max(${auditCheckpoints.seq})`.as("last_seq"),
      signedAt: sql<Date>`max(${auditCheckpoints.signedAt})`.as("last_signed_at"),
    })
    .from(auditCheckpoints)
    .groupBy(auditCheckpoints.tenantId)
    .as("last");
  const due = await getDb()
    .select({ tenantId: auditChainHeads.tenantId })
    .from(auditChainHeads)
    .leftJoin(last, eq(last.tenantId, auditChainHeads.tenantId))
    .where(
      and(
        sql`${auditChainHeads.seq} > coalesce(${last.seq} + 1, 0)`,
        sql`coalesce(${last.signedAt} < ${cutoff.toISOString()}::timestamptz, true)`,
      ),
    );
  for (const { tenantId } of due) await signCheckpoint(systemActing(tenantId));
  return due.length;
}

/**
 * How far the chains run ahead of their signatures, over all tenants: events after each
 * tenant's newest checkpoint (its own event not counted), and the
 * longest time a tenant with such events has gone since its newest checkpoint (or since it was
 * created, when it has none). One query; the newest checkpoint comes from the (tenant, seq) index.
 */
export async function auditChainLag(): Promise<{ unsignedEvents: number; lagSeconds: number }> {
  const [row] = rowsOf<{ events: number | string | null; seconds: number | string | null }>(
    await getDb().execute(sql`
      select sum(h.seq - coalesce(c.seq + 1, 0))::float8 as events,
        max(extract(epoch from (now() - coalesce(c.signed_at, t.created_at))))::float8 as seconds
      from audit_chain_heads h
      join tenants t on t.id = h.tenant_id
      left join lateral (
        select seq, signed_at from audit_checkpoints
        where tenant_id = h.tenant_id order by seq desc limit 1
      ) c on true
      where h.seq > coalesce(c.seq + 1, 0)`),
  );
  return { unsignedEvents: Number(row?.events ?? 0), lagSeconds: Number(row?.seconds ?? 0) };
}
