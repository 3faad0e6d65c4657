import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import type { ErrorCode } from "@/lib/platform/errors/app-error";
import {
  bucketPolicy,
  bucketRefill,
  limitRefusal,
  rateLimitHeaders,
  type LimitPolicy,
} from "@/lib/platform/limits/buckets";

// Abuse controls in PostgreSQL, so they hold across server instances.
const liveStamps = (windowSeconds: number) =>
  sql`array(select s from unnest(rate_windows.stamps) s where s > now() - make_interval(secs => ${windowSeconds}))`;

/** Rows the request's decisions were taken on, with the versions (`xmin`) they were read at. */
export type Freshness = {
  apiKey?: { id: string; version: string } | undefined;
  integration: { id: string; version: string };
};

type Bucket = { key: string; burst: number; ratePerSecond: number };

/**
 * Sliding window: at most `limit` events per `windowSeconds` for `scope` (a keyed hash of what
 * is counted: the destination, the end user's IP or id; never the value). When the limit is
 * reached the caller waits until the oldest stamp in the window ages out: with the defaults, a
 * 10-minute cooldown.
 */
export type Window = {
  scope: string;
  limit: number;
  windowSeconds: number;
  code: ErrorCode;
  message: string;
};

export type RequestLimits = {
  tenantId: string;
  /** The API key's own bucket across every route and integration (when the key has one). */
  keyBucket?: Bucket | undefined;
  /** Token bucket per (integration, API key): `burst` tokens, refilled at `ratePerSecond`. */
  bucket: Bucket;
  /** The windows the request takes a slot in, in order (each only when the one before allowed it). */
  windows: Window[];
};

/** An upsert that takes a token from `bucket` when `gate` (a CTE with `allowed`) allows it. */
const takeFrom = (tenantId: string, bucket: Bucket, gate: SQL) => {
  const tokens = bucketRefill(bucket.burst, bucket.ratePerSecond);
  return sql`insert into rate_buckets (key, tenant_id, tokens, allowed, updated_at)
        select ${bucket.key}, ${tenantId}, ${bucket.burst - 1}::float8, true, now() from ${gate} where allowed
        on conflict (key) do update set
          allowed = ${tokens} >= 1,
          tokens = ${tokens} - case when ${tokens} >= 1 then 1 else 0 end,
          updated_at = now()
        returning allowed, tokens`;
};

/**
 * The proxy's one statement before Twilio: confirms that the API key and the integration rows
 * are still the versions the request was decided on, then takes a token from the key's own
 * bucket (if it has one), then from the key's bucket on the integration, then a slot in each of
 * the request's windows (the end user's, the destination's), each only when the one before
 * allowed it. Each upsert locks its row, so the limits hold across instances. Answers "stale" (and takes nothing) when a row has
 * changed since it was read; refuses with 429, Retry-After and the RateLimit headers when a
 * limit is reached (a refused window slot leaves the tokens taken: a refused try still counts).
 * Otherwise answers the RateLimit headers of the buckets.
 */
export async function takeRequestLimits(
  fresh: Freshness,
  limits: RequestLimits,
): Promise<{ stale: true } | { stale: false; headers: Record<string, string> }> {
  const { tenantId, keyBucket, bucket, windows } = limits;
  const keyFresh = fresh.apiKey
    ? sql`exists (select 1 from api_keys where tenant_id = ${tenantId} and id = ${fresh.apiKey.id} and xmin::text = ${fresh.apiKey.version})`
    : sql`true`;
  const own = keyBucket
    ? sql`, own as (${takeFrom(tenantId, keyBucket, sql`fresh`)})`
    : sql`, own as (select allowed, null::float8 as tokens from fresh)`;
  // slot_0 after the bucket, slot_1 after slot_0, …: a refused slot takes none after it.
  const windowCtes = windows.map((window, i) => {
    const live = liveStamps(window.windowSeconds);
    const gate = sql.raw(i === 0 ? "bucket" : `slot_${i - 1}`);
    return sql`, ${sql.raw(`slot_${i}`)} as (
        insert into rate_windows (scope, tenant_id, stamps, allowed)
        select ${window.scope}, ${tenantId}, array[now()], ${window.limit} >= 1 from ${gate} where allowed
        on conflict (scope) do update set
          allowed = cardinality(${live}) < ${window.limit},
          stamps = case when cardinality(${live}) < ${window.limit} then ${live} || now() else ${live} end
        returning allowed,
          extract(epoch from ((select min(s) from unnest(stamps) s)
            + make_interval(secs => ${window.windowSeconds}) - now()))::float8 as wait)`;
  });
  const windowColumns = windows.map(
    (_, i) =>
      sql`, ${sql.raw(`(select allowed from slot_${i}) as slot_${i}, (select wait from slot_${i}) as wait_${i}`)}`,
  );
  const [row] = rowsOf<
    {
      fresh: boolean;
      own: boolean | null;
      own_tokens: number | null;
      token: boolean | null;
      tokens: number | null;
    } & Record<`slot_${number}`, boolean | null> &
      Record<`wait_${number}`, number | null>
  >(
    await getDb().execute(sql`
      with fresh as (
        select ${keyFresh} and exists (select 1 from integrations where tenant_id = ${tenantId}
          and id = ${fresh.integration.id} and xmin::text = ${fresh.integration.version}) as allowed
      )${own}, bucket as (${takeFrom(tenantId, bucket, sql`own`)})${sql.join(windowCtes)}
      select (select allowed from fresh) as fresh,
        (select allowed from own) as own, (select tokens from own)::float8 as own_tokens,
        (select allowed from bucket) as token, (select tokens from bucket)::float8 as tokens
        ${sql.join(windowColumns)}`),
  );
  if (!row?.fresh) return { stale: true };
  const policies: LimitPolicy[] = [];
  if (keyBucket) {
    const tokens = Number(row.own_tokens ?? 0);
    policies.push(bucketPolicy("key", keyBucket.burst, keyBucket.ratePerSecond, tokens));
  }
  if (row.own) {
    const tokens = Number(row.tokens ?? 0);
    policies.push(bucketPolicy("integration", bucket.burst, bucket.ratePerSecond, tokens));
  }
  const headers = rateLimitHeaders(policies);
  if (keyBucket && !row.own) {
    throw limitRefusal(
      "rate_limited_api_key",
      `This API key is over its own request rate (${keyBucket.ratePerSecond}/s, burst ${keyBucket.burst}).`,
      (1 - Number(row.own_tokens ?? 0)) / keyBucket.ratePerSecond,
      headers,
    );
  }
  if (!row.token) {
    throw limitRefusal(
      "rate_limited_api_key",
      `This API key is over its request rate for this integration (${bucket.ratePerSecond}/s, burst ${bucket.burst}).`,
      (1 - Number(row.tokens ?? 0)) / bucket.ratePerSecond,
      headers,
    );
  }
  for (const [i, window] of windows.entries()) {
    if (row[`slot_${i}`]) continue;
    const wait = row[`wait_${i}`];
    throw limitRefusal(window.code, window.message, Number(wait ?? window.windowSeconds), headers);
  }
  return { stale: false, headers };
}

/**
 * Housekeeping: forget window events and idle buckets older than a day, and verification
 * attempts older than the longest pumping window (7 days) plus a day.
 */
export async function purgeRateData() {
  await getDb().execute(
    sql`delete from rate_windows where not exists (select 1 from unnest(stamps) s where s > now() - interval '1 day')`,
  );
  await getDb().execute(sql`delete from rate_buckets where updated_at < now() - interval '1 day'`);
  await getDb().execute(sql`delete from idempotency_keys where expires_at < now()`);
  await getDb().execute(
    sql`delete from verification_attempts where created_at < now() - interval '8 days'`,
  );
}
