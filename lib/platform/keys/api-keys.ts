import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, getTableColumns, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { getDb } from "@/db";
import { apiKeys, type ApiKey } from "@/db/schema";
import { tenantHmacKey } from "@/lib/platform/kms/local-kms";

// Machine-client API keys: `qs_<live|test>_<43 base62 characters>`. The first 8 characters
// after the environment are the public prefix (stored, shown, used to find the row); the
// whole key is stored only as a keyed hash.
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_FORMAT = /^qs_(live|test)_([0-9A-Za-z]{43,})$/;
const PREFIX_CHARS = 8;

function base62(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString("hex")}`);
  let out = "";
  while (n > 0n) {
    out = (BASE62[Number(n % 62n)] ?? "") + out;
    n /= 62n;
  }
  return out.padStart(43, "0");
}

/**
 * A new key (shown once) and its public prefix. `rolling`: a key's prefix (`qs_live_8XkQ2m4T`)
 * to keep: the new secret starts with the same 8 characters, so the row, its id and its
 * audit trail stay the same, and 35 fresh base62 characters (208 bits) follow.
 */
export function generateApiKey(environment: "live" | "test", rolling?: string) {
  const fresh = base62(randomBytes(32));
  const kept = rolling?.slice(`qs_${environment}_`.length);
  const secret = kept?.length === PREFIX_CHARS ? kept + fresh.slice(-(43 - PREFIX_CHARS)) : fresh;
  return {
    fullKey: `qs_${environment}_${secret}`,
    prefix: `qs_${environment}_${secret.slice(0, PREFIX_CHARS)}`,
  };
}

// The pepper is derived from the KMS master key: a database dump alone cannot test guesses.
export function keyHash(fullKey: string): string {
  const pepper = tenantHmacKey("pqseal", "api-key-pepper");
  return createHmac("sha256", pepper).update(fullKey).digest("hex");
}

/** A key's row and its version: PostgreSQL's `xmin`, which every update of the row changes. */
type VersionedKey = ApiKey & { version: string };

/** A key as presented: its row, and which of its secrets was presented. */
export type AuthenticatedKey = VersionedKey & {
  /** "previous": the secret it had before its last roll, within the roll's grace period. */
  secretUsed: "current" | "previous";
  /** The keyed hash of the presented key (names what is derived from that secret). */
  presentedHash: string;
};

const keyColumns = { ...getTableColumns(apiKeys), version: sql<string>`xmin::text` };

// Rows of recently used keys by prefix, for the proxy's hot path only (`cached` below). A row
// read from here is a claim, not a fact: the proxy confirms its version in the statement that
// takes the request's rate-limit tokens (lib/features/proxy/limits.ts) and re-reads the key
// before any refusal, so a revoked key is refused whichever instance revoked it.
const keyRows = new LRUCache<string, VersionedKey>({ max: 10_000, ttl: 60_000 });

const ZERO_HASH = Buffer.alloc(32);
const sameHash = (stored: string | null | undefined, actual: Buffer) => {
  const expected = stored ? Buffer.from(stored, "hex") : ZERO_HASH;
  return expected.length === actual.length && timingSafeEqual(expected, actual);
};

/** Which of the row's secrets `hash` (of the presented key) is, if any: both compared, in constant time. */
function secretOf(row: VersionedKey | undefined, hash: Buffer, now: Date) {
  const current = sameHash(row?.secretHash, hash);
  const previous =
    sameHash(row?.previousSecretHash, hash) &&
    (row?.previousValidUntil?.getTime() ?? 0) > now.getTime();
  const live = row && !row.revokedAt && !(row.expiresAt && row.expiresAt <= now);
  if (!live || !(current || previous)) return null;
  return current ? ("current" as const) : ("previous" as const);
}

/**
 * The key's row when `presented` is a live, unexpired, unrevoked key; otherwise null. Every
 * failure looks the same to the caller. The prefix finds the row; the keyed hash, compared
 * in constant time, proves the key. `cached`: the row may come from this process's cache
 * (whose version the caller must confirm before acting on it); a key the cached row refuses
 * is read again before it is refused (a roll elsewhere changed its secret).
 */
export async function authenticateApiKey(
  presented: string | null,
  now = new Date(),
  { cached = false } = {},
): Promise<AuthenticatedKey | null> {
  const match = presented ? KEY_FORMAT.exec(presented) : null;
  if (!presented || !match?.[1] || !match[2]) return null;
  const prefix = `qs_${match[1]}_${match[2].slice(0, PREFIX_CHARS)}`;
  const hash = Buffer.from(keyHash(presented), "hex");
  const hit = cached ? keyRows.get(prefix) : undefined;
  if (hit && !secretOf(hit, hash, now)) return authenticateApiKey(presented, now);
  let row =
    hit ?? (await getDb().select(keyColumns).from(apiKeys).where(eq(apiKeys.prefix, prefix)))[0];
  if (!secretOf(row, hash, now) || !row) {
    keyRows.delete(prefix);
    return null;
  }
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    const [updated] = await getDb()
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.tenantId, row.tenantId), eq(apiKeys.id, row.id)))
      .returning(keyColumns);
    row = updated;
  }
  // The row as it is now (after the update, when there was one) decides, never an older one.
  const secretUsed = secretOf(row, hash, now);
  if (!row || !secretUsed) {
    keyRows.delete(prefix);
    return null;
  }
  // A fresh read also refreshes a cached row (confirmations read uncached).
  if (cached || keyRows.has(prefix)) keyRows.set(prefix, row);
  return { ...row, secretUsed, presentedHash: hash.toString("hex") };
}
