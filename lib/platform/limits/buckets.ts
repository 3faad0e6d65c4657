import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rowsOf, type Tx } from "@/db";
import { AppError, type ErrorCode } from "@/lib/platform/errors/app-error";
import { metrics } from "@/lib/platform/observability/metrics";

// Token buckets in PostgreSQL (table rate_buckets), so they hold across server instances: one
// atomic upsert refills a bucket and takes a token; a refused request takes nothing.

/** A bucket's tokens now: the stored count refilled for the time since, at most `burst`. */
export const bucketRefill = (burst: number, ratePerSecond: number) =>
  sql`least(${burst}::float8, rate_buckets.tokens + extract(epoch from (now() - rate_buckets.updated_at)) * ${ratePerSecond}::float8)`;

/** The token bucket's answer without refusing: whether a token was taken, and what is left. */
export async function tryTakeToken(
  tenantId: string,
  bucket: string,
  burst: number,
  ratePerSecond: number,
): Promise<{ allowed: boolean; tokens: number }> {
  const tokens = bucketRefill(burst, ratePerSecond);
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

/** One rate-limit policy as the RateLimit headers name it (IETF httpapi draft). */
export type LimitPolicy = {
  /** The policy's name in the headers, e.g. "key" or "integration". */
  name: string;
  /** Quota: the bucket's burst. */
  quota: number;
  /** Window: seconds for an empty bucket to fill again. */
  windowSeconds: number;
  /** Tokens left after this request (a refused request: what there is). */
  remaining: number;
  ratePerSecond: number;
};

/** A token bucket's policy after a take: quota, refill window, what is left. */
export function bucketPolicy(
  name: string,
  burst: number,
  ratePerSecond: number,
  tokens: number,
): LimitPolicy {
  return {
    name,
    quota: burst,
    windowSeconds: Math.max(1, Math.ceil(burst / ratePerSecond)),
    remaining: Math.max(0, Math.floor(tokens)),
    ratePerSecond,
  };
}

/**
 * `RateLimit-Policy` (every policy) and `RateLimit` (the policy nearest exhaustion: remaining
 * tokens and seconds until the bucket is full again), per draft-ietf-httpapi-ratelimit-headers.
 */
export function rateLimitHeaders(policies: LimitPolicy[]): Record<string, string> {
  if (policies.length === 0) return {};
  const tightest = policies.reduce((a, b) =>
    b.remaining / b.quota < a.remaining / a.quota ? b : a,
  );
  const reset = Math.max(
    0,
    Math.ceil((tightest.quota - tightest.remaining) / tightest.ratePerSecond),
  );
  return {
    "ratelimit-policy": policies
      .map((p) => `"${p.name}";q=${p.quota};w=${p.windowSeconds}`)
      .join(", "),
    ratelimit: `"${tightest.name}";r=${tightest.remaining};t=${reset}`,
  };
}

/** 429 with Retry-After (and the RateLimit headers), counted by code. */
export function limitRefusal(
  code: ErrorCode,
  message: string,
  retryAfterSeconds: number,
  headers: Record<string, string> = {},
): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  metrics().limitRefusals.inc({ code });
  return new AppError(code, message, {
    remediation: `Retry after ${seconds} s.`,
    headers: { ...headers, "retry-after": String(seconds) },
  });
}
