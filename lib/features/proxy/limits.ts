import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rowsOf, type Tx } from "@/db";
import { AppError, type ErrorCode } from "@/lib/platform/errors/app-error";
import { metrics } from "@/lib/platform/observability/metrics";

// Abuse controls in PostgreSQL, so they hold across server instances.
function refuse(code: ErrorCode, message: string, retryAfterSeconds: number): never {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  metrics().limitRefusals.inc({ code });
  throw new AppError(code, message, {
    remediation: `Retry after ${seconds} s.`,
    headers: { "retry-after": String(seconds) },
  });
}

/**
 * Token bucket per (integration, API key): `burst` tokens, refilled at `ratePerSecond`. One
 * atomic upsert refills and takes a token; a refused request takes nothing.
 */
export async function takeToken(
  tenantId: string,
  bucket: string,
  burst: number,
  ratePerSecond: number,
) {
  const row = await tryTakeToken(tenantId, bucket, burst, ratePerSecond);
  if (!row.allowed) {
    refuse(
      "rate_limited_api_key",
      `This API key is over its request rate for this integration (${ratePerSecond}/s, burst ${burst}).`,
      (1 - row.tokens) / ratePerSecond,
    );
  }
}

/** The token bucket's answer without refusing: whether a token was taken, and what is left. */
export async function tryTakeToken(
  tenantId: string,
  bucket: string,
  burst: number,
  ratePerSecond: number,
): Promise<{ allowed: boolean; tokens: number }> {
  const refill = sql`least(${burst}::float8, rate_buckets.tokens + extract(epoch from (now() - rate_buckets.updated_at)) * ${ratePerSecond}::float8)`;
  const [row] = rowsOf<{ allowed: boolean; tokens: number }>(
    await getDb().execute(sql`
      insert into rate_buckets (key, tenant_id, tokens, allowed, updated_at)
      values (${bucket}, ${tenantId}, ${burst - 1}::float8, true, now())
      on conflict (key) do update set
        allowed = ${refill} >= 1,
        tokens = ${refill} - case when ${refill} >= 1 then 1 else 0 end,
        updated_at = now()
      returning allowed, tokens`),
  );
  return { allowed: row?.allowed === true, tokens: Number(row?.tokens ?? 0) };
}

/**
 * A counter of things not recorded one by one (refusals over their budget), kept beside the
 * buckets: `count` adds one; `drain` returns the count and starts again at zero. Atomic.
 */
export const suppressed = {
  async count(tenantId: string, key: string) {
    await getDb().execute(sql`
      insert into rate_buckets (key, tenant_id, tokens, allowed, updated_at)
      values (${`suppressed:${key}`}, ${tenantId}, 1, false, now())
      on conflict (key) do update set tokens = rate_buckets.tokens + 1, updated_at = now()`);
  },
  async drain(key: string, db: Pick<Tx, "execute"> = getDb()): Promise<number> {
    const [row] = rowsOf<{ tokens: number }>(
      await db.execute(
        sql`delete from rate_buckets where key = ${`suppressed:${key}`} returning tokens`,
      ),
    );
    return Number(row?.tokens ?? 0);
  },
};

/**
 * Sliding window: at most `limit` events per `windowSeconds` for `scope` (a keyed hash of the
 * destination, never the number). One upsert locks the scope's row, drops stamps older than
 * the window and adds this one only when there is room: atomic across instances, one round
 * trip. When the limit is reached the caller waits until the oldest stamp in the window ages
 * out: with the defaults, a 10-minute cooldown.
 */
export async function takeWindowSlot(
  tenantId: string,
  scope: string,
  limit: number,
  windowSeconds: number,
  code: ErrorCode,
  message: string,
) {
  const live = sql`array(select s from unnest(rate_windows.stamps) s where s > now() - make_interval(secs => ${windowSeconds}))`;
  const [row] = rowsOf<{ allowed: boolean; wait: number | null }>(
    await getDb().execute(sql`
      insert into rate_windows (scope, tenant_id, stamps, allowed)
      values (${scope}, ${tenantId}, array[now()], ${limit} >= 1)
      on conflict (scope) do update set
        allowed = cardinality(${live}) < ${limit},
        stamps = case when cardinality(${live}) < ${limit} then ${live} || now() else ${live} end
      returning allowed,
        extract(epoch from ((select min(s) from unnest(stamps) s)
          + make_interval(secs => ${windowSeconds}) - now()))::float8 as wait`),
  );
  if (!row?.allowed) refuse(code, message, Number(row?.wait ?? windowSeconds));
}

/** Housekeeping: forget window events and idle buckets older than a day. */
export async function purgeRateData() {
  await getDb().execute(
    sql`delete from rate_windows where not exists (select 1 from unnest(stamps) s where s > now() - interval '1 day')`,
  );
  await getDb().execute(sql`delete from rate_buckets where updated_at < now() - interval '1 day'`);
  await getDb().execute(sql`delete from idempotency_keys where expires_at < now()`);
}
