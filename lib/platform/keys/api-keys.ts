import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { apiKeys, type ApiKey } from "@/db/schema";
import { deriveTenantKey } from "@/lib/platform/kms/local-kms";

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

/** A new key (shown once) and its public prefix. */
export function generateApiKey(environment: "live" | "test") {
  const secret = base62(randomBytes(32));
  return {
    fullKey: `qs_${environment}_${secret}`,
    prefix: `qs_${environment}_${secret.slice(0, PREFIX_CHARS)}`,
  };
}

// The pepper is derived from the KMS master key: a database dump alone cannot test guesses.
export function keyHash(fullKey: string): string {
  const pepper = deriveTenantKey("pqseal", "api-key-pepper");
  const hash = createHmac("sha256", pepper).update(fullKey).digest("hex");
  pepper.fill(0);
  return hash;
}

/**
 * The key's row when `presented` is a live, unexpired, unrevoked key; otherwise null. Every
 * failure looks the same to the caller. The prefix finds the row; the keyed hash, compared
 * in constant time, proves the key.
 */
export async function authenticateApiKey(
  presented: string | null,
  now = new Date(),
): Promise<ApiKey | null> {
  const match = presented ? KEY_FORMAT.exec(presented) : null;
  if (!presented || !match?.[1] || !match[2]) return null;
  const prefix = `qs_${match[1]}_${match[2].slice(0, PREFIX_CHARS)}`;
  const [row] = await getDb().select().from(apiKeys).where(eq(apiKeys.prefix, prefix));
  const expected = Buffer.from(row?.secretHash ?? "0".repeat(64), "hex");
  const actual = Buffer.from(keyHash(presented), "hex");
  const same = expected.length === actual.length && timingSafeEqual(expected, actual);
  if (!row || !same || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await getDb()
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.tenantId, row.tenantId), eq(apiKeys.id, row.id)));
  }
  return row;
}
