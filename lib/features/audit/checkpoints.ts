import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { auditChainHeads, auditCheckpoints } from "@/db/schema";
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
import { recordAudit } from "@/lib/platform/audit/record-audit";
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
}

/**
 * Signs the tenant's current chain head with its ML-DSA-65 key and stores the checkpoint.
 * The checkpoint is itself audited, as the next event after the head it covers.
 */
export async function signCheckpoint(by: Acting): Promise<SignedCheckpoint | null> {
  const { tenantId } = by;
  const key = await currentSigningKey(tenantId);
  return getDb().transaction(async (tx) => {
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
    await recordAudit(tx, by, {
      action: "audit.checkpoint_signed",
      outcome: "succeeded",
      target: { type: "audit_checkpoint", id },
      details: { seq: head.seq, head_hash: head.hash, key_id: key.id },
    });
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
}

export async function latestCheckpoint(tenantId: string): Promise<SignedCheckpoint | null> {
  const [row] = await getDb()
    .select()
    .from(auditCheckpoints)
    .where(eq(auditCheckpoints.tenantId, tenantId))
    .orderBy(desc(auditCheckpoints.seq), desc(auditCheckpoints.signedAt))
    .limit(1);
  if (!row) return null;
  const key = await getSigningKeyOrThrow({ tenantId, id: row.keyId });
  return {
    id: row.id,
    tenant_id: tenantId,
    seq: row.seq,
    head_hash: row.headHash,
    signed_at: row.signedAt.toISOString(),
    algorithm: key.algorithm,
    key_id: key.id,
    public_key: key.publicKey,
    fingerprint: key.fingerprint,
    signature: row.signature,
  };
}

export function verifyCheckpoint(c: SignedCheckpoint): boolean {
  return verifySignature(c.public_key, checkpointMessage(c), Buffer.from(c.signature, "base64"));
}

/**
 * The checkpoint job (every AUDIT_CHECKPOINT_INTERVAL_MINUTES, default 60): tenants whose
 * newest checkpoint is older than `maxAgeMinutes` AND whose chain has grown since it. A
 * checkpoint appends its own `audit.checkpoint_signed` event, so "grown" means more than that
 * one event past the signed seq; idle tenants are not re-signed. The interval bounds how many
 * of the newest events someone with database access could delete unseen (verifyChain checks
 * the chain against the newest checkpoint).
 */
export async function signDueCheckpoints(
  now = new Date(),
  maxAgeMinutes = env().AUDIT_CHECKPOINT_INTERVAL_MINUTES || 60,
): Promise<number> {
  const cutoff = new Date(now.getTime() - maxAgeMinutes * 60 * 1000);
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
