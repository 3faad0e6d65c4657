import "server-only";
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { idempotencyKeys } from "@/db/schema";
import { IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_RULE } from "@/lib/shared/idempotency-key";
import { canonicalJson } from "@/lib/shared/jcs";
import { AppError } from "@/lib/platform/errors/app-error";
import { idempotentResultBinding } from "@/lib/platform/sealing/bindings";
import { openForTenant, sealForTenant } from "@/lib/platform/sealing/store";

// Idempotency-Key: the same key and the same request within 24 h get the stored result back
// (re-enveloped for the new request) without calling Twilio again; the same key with another
// request is 422. A claimed key whose call may have reached Twilio is never released, so a
// send is never repeated automatically. Stored results are sealed like credentials.
const TTL_MS = 24 * 3_600_000;

export type Scope = { tenantId: string; apiKeyId: string; key: string };
export type StoredResult = {
  httpStatus: number;
  success: boolean;
  auditEventId: string | null;
  result: unknown;
};

export function idempotencyKeyFrom(headers: Headers): string | null {
  const key = headers.get("idempotency-key");
  if (key === null) return null;
  if (!IDEMPOTENCY_KEY.test(key)) throw new AppError("invalid_input", IDEMPOTENCY_KEY_RULE);
  return key;
}

export const requestHash = (request: unknown) =>
  createHash("sha256").update(canonicalJson(request)).digest("hex");

const where = (s: Scope) =>
  and(
    eq(idempotencyKeys.tenantId, s.tenantId),
    eq(idempotencyKeys.apiKeyId, s.apiKeyId),
    eq(idempotencyKeys.key, s.key),
  );

const binding = (s: Scope) => idempotentResultBinding(s.tenantId, s.apiKeyId, s.key);

async function read(scope: Scope, hash: string): Promise<StoredResult | null> {
  const [row] = await getDb().select().from(idempotencyKeys).where(where(scope));
  if (!row || row.expiresAt.getTime() < Date.now()) return null;
  if (row.requestHash !== hash) {
    throw new AppError(
      "idempotency_key_reused",
      "This Idempotency-Key was already used with a different request.",
      { remediation: "Use a new Idempotency-Key for a new request." },
    );
  }
  if (row.state !== "completed" || !row.sealedResult || !row.vaultKeyId) {
    throw new AppError(
      "idempotency_in_progress",
      "A request with this Idempotency-Key is still being processed (or its outcome is unknown).",
      { remediation: "Wait and retry with the same key to get its result." },
    );
  }
  const values = await openForTenant("idempotentResult", binding(scope), {
    sealed: row.sealedResult,
    vaultKeyId: row.vaultKeyId,
  });
  return {
    httpStatus: row.httpStatus ?? 200,
    success: row.success ?? false,
    auditEventId: row.auditEventId,
    result: JSON.parse(values.result ?? "null") as unknown,
  };
}

/** The stored result for a repeat, or null for a first request (which then claims the key). */
export async function replayOrClaim(scope: Scope, hash: string): Promise<StoredResult | null> {
  const stored = await read(scope, hash);
  if (stored) return stored;
  // Expired rows are replaced; a live row of a concurrent request makes the insert a no-op.
  await getDb()
    .delete(idempotencyKeys)
    .where(and(where(scope), sql`${idempotencyKeys.expiresAt} < now()`));
  const inserted = await getDb()
    .insert(idempotencyKeys)
    .values({
      ...scope,
      requestHash: hash,
      state: "in_progress",
      expiresAt: new Date(Date.now() + TTL_MS),
    })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length === 0) return read(scope, hash).then((r) => r ?? raceLost());
  return null;
}

function raceLost(): never {
  throw new AppError(
    "idempotency_in_progress",
    "A request with this Idempotency-Key is in progress.",
  );
}

/** Twilio was not reached: the key may be used again. */
export async function releaseClaim(scope: Scope) {
  await getDb()
    .delete(idempotencyKeys)
    .where(and(where(scope), eq(idempotencyKeys.state, "in_progress")));
}

/** Stores the outcome, sealed, in the caller's transaction (with the audit event). */
export async function completeClaim(tx: Tx, scope: Scope, outcome: StoredResult) {
  const { sealed, vaultKeyId } = await sealForTenant(
    "idempotentResult",
    binding(scope),
    { result: JSON.stringify(outcome.result) },
    tx,
  );
  await tx
    .update(idempotencyKeys)
    .set({
      state: "completed",
      httpStatus: outcome.httpStatus,
      success: outcome.success,
      auditEventId: outcome.auditEventId,
      sealedResult: sealed,
      vaultKeyId,
    })
    .where(where(scope));
}
