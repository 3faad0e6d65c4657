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

// The token bucket's refill, and the sliding window's live stamps, as SQL over the stored row.
const refill = (burst: number, ratePerSecond: number) =>
  sql`least(${burst}::float8, rate_buckets.tokens + extract(epoch from (now() - rate_buckets.updated_at)) * ${ratePerSecond}::float8)`;
const liveStamps = (windowSeconds: number) =>
  sql`array(select s from unnest(rate_windows.stamps) s where s > now() - make_interval(secs => ${windowSeconds}))`;

/** The token bucket's answer without refusing: whether a token was taken, and what is left. */
export async function tryTakeToken(
  tenantId: string,
  bucket: string,
  burst: number,
  ratePerSecond: number,
): Promise<{ allowed: boolean; tokens: number }> {
  const tokens = refill(burst, ratePerSecond);
  const [row] = rowsOf<{ allowed: boolean; tokens: number }>(
    await getDb().execute(sql`
      insert into rate_buckets (key, tenant_id, tokens, allowed, updated_at)
      values (${bucket}, ${tenantId}, ${burst - 1}::float8, true, now())
      on conflict (key) do update set
        allowed = ${tokens} >= 1,
        tokens = ${tokens} - case when ${tokens} >= 1 then 1 else 0 end,
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

/** Rows the request's decisions were taken on, with the versions (`xmin`) they were read at. */
export type Freshness = {
  apiKey?: { id: string; version: string } | undefined;
  integration: { id: string; version: string };
};

export type RequestLimits = {
  tenantId: string;
  /** Token bucket per (integration, API key): `burst` tokens, refilled at `ratePerSecond`. */
  bucket: { key: string; burst: number; ratePerSecond: number };
  /**
   * Sliding window: at most `limit` events per `windowSeconds` for `scope` (a keyed hash of the
   * destination, never the number). When the limit is reached the caller waits until the
   * oldest stamp in the window ages out: with the defaults, a 10-minute cooldown.
   */
  window?:
    | {
        scope: string;
        limit: number;
        windowSeconds: number;
        code: ErrorCode;
        message: string;
      }
    | undefined;
};

/**
 * The proxy's one statement before Twilio: confirms that the API key and the integration rows
 * are still the versions the request was decided on, then takes a token from the key's bucket
 * and, when the bucket allows it, a slot in the destination's window. Each upsert locks its
 * row, so the limits hold across instances. Answers "stale" (and takes nothing) when a row has
 * changed since it was read; refuses with 429 and Retry-After when a limit is reached (a
 * refused window slot leaves the token taken, as a refused request still cost a try).
 */
export async function takeRequestLimits(
  fresh: Freshness,
  limits: RequestLimits,
): Promise<"taken" | "stale"> {
  const { tenantId, bucket, window } = limits;
  const keyFresh = fresh.apiKey
    ? sql`exists (select 1 from api_keys where tenant_id = ${tenantId} and id = ${fresh.apiKey.id} and xmin::text = ${fresh.apiKey.version})`
    : sql`true`;
  const tokens = refill(bucket.burst, bucket.ratePerSecond);
  const live = window ? liveStamps(window.windowSeconds) : sql`null`;
  const windowCte = window
    ? sql`, slot as (
        insert into rate_windows (scope, tenant_id, stamps, allowed)
        select ${window.scope}, ${tenantId}, array[now()], ${window.limit} >= 1 from bucket where allowed
        on conflict (scope) do update set
          allowed = cardinality(${live}) < ${window.limit},
          stamps = case when cardinality(${live}) < ${window.limit} then ${live} || now() else ${live} end
        returning allowed,
          extract(epoch from ((select min(s) from unnest(stamps) s)
            + make_interval(secs => ${window.windowSeconds}) - now()))::float8 as wait)`
    : sql``;
  const [row] = rowsOf<{
    fresh: boolean;
    token: boolean | null;
    tokens: number | null;
    slot: boolean | null;
    wait: number | null;
  }>(
    await getDb().execute(sql`
      with fresh as (
        select ${keyFresh} and exists (select 1 from integrations where tenant_id = ${tenantId}
          and id = ${fresh.integration.id} and xmin::text = ${fresh.integration.version}) as ok
      ), bucket as (
        insert into rate_buckets (key, tenant_id, tokens, allowed, updated_at)
        select ${bucket.key}, ${tenantId}, ${bucket.burst - 1}::float8, true, now() from fresh where ok
        on conflict (key) do update set
          allowed = ${tokens} >= 1,
          tokens = ${tokens} - case when ${tokens} >= 1 then 1 else 0 end,
          updated_at = now()
        returning allowed, tokens
      )${windowCte}
      select (select ok from fresh) as fresh, (select allowed from bucket) as token,
        (select tokens from bucket)::float8 as tokens,
        ${window ? sql`(select allowed from slot)` : sql`null::boolean`} as slot,
        ${window ? sql`(select wait from slot)` : sql`null::float8`} as wait`),
  );
  if (!row?.fresh) return "stale";
  if (!row.token) {
    refuse(
      "rate_limited_api_key",
      `This API key is over its request rate for this integration (${bucket.ratePerSecond}/s, burst ${bucket.burst}).`,
      (1 - Number(row.tokens ?? 0)) / bucket.ratePerSecond,
    );
  }
  if (window && !row.slot) {
    refuse(window.code, window.message, Number(row.wait ?? window.windowSeconds));
  }
  return "taken";
}

/** Housekeeping: forget window events and idle buckets older than a day. */
export async function purgeRateData() {
  await getDb().execute(
    sql`delete from rate_windows where not exists (select 1 from unnest(stamps) s where s > now() - interval '1 day')`,
  );
  await getDb().execute(sql`delete from rate_buckets where updated_at < now() - interval '1 day'`);
  await getDb().execute(sql`delete from idempotency_keys where expires_at < now()`);
}
