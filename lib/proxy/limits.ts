import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { AppError, type ErrorCode } from "@/lib/errors/app-error";

// Abuse controls in PostgreSQL, so they hold across server instances.
type Rows<T> = T[] | { rows: T[] };
const rowsOf = <T>(r: unknown): T[] => {
  const x = r as Rows<T>;
  return Array.isArray(x) ? x : x.rows;
};

function refuse(code: ErrorCode, message: string, retryAfterSeconds: number): never {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
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
  if (!row?.allowed) {
    refuse(
      "rate_limited_api_key",
      `This API key is over its request rate for this integration (${ratePerSecond}/s, burst ${burst}).`,
      (1 - Number(row?.tokens ?? 0)) / ratePerSecond,
    );
  }
}

/**
 * Sliding window: at most `limit` events per `windowSeconds` for `scope` (a keyed hash of the
 * destination, never the number). An advisory lock per scope makes check-and-record atomic
 * across instances. When the limit is reached the caller waits until the oldest event in the
 * window ages out: with the defaults, a 10-minute cooldown.
 */
export async function takeWindowSlot(
  tenantId: string,
  scope: string,
  limit: number,
  windowSeconds: number,
  code: ErrorCode,
  message: string,
) {
  const wait = await getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${scope}))`);
    const [row] = rowsOf<{ n: number; wait: number | null }>(
      await tx.execute(sql`
        select count(*)::int as n,
          extract(epoch from (min(at) + make_interval(secs => ${windowSeconds}) - now()))::float8 as wait
        from rate_events
        where scope = ${scope} and at > now() - make_interval(secs => ${windowSeconds})`),
    );
    if (Number(row?.n ?? 0) >= limit) return Number(row?.wait ?? windowSeconds);
    await tx.execute(
      sql`insert into rate_events (tenant_id, scope) values (${tenantId}, ${scope})`,
    );
    return 0;
  });
  if (wait > 0) refuse(code, message, wait);
}

/** Housekeeping: forget window events and idle buckets older than a day. */
export async function purgeRateData() {
  await getDb().execute(sql`delete from rate_events where at < now() - interval '1 day'`);
  await getDb().execute(sql`delete from rate_buckets where updated_at < now() - interval '1 day'`);
  await getDb().execute(sql`delete from idempotency_keys where expires_at < now()`);
}
