import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db";
import { apiKeys, type ApiKey } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { AppError } from "@/lib/platform/errors/app-error";
import { newId } from "@/lib/shared/ids";
import { parseClientPublicKey, registerClientKey } from "@/lib/platform/keys/client-keys";
import { deriveTenantKey } from "@/lib/platform/kms/local-kms";
import { actingUserId, type Acting } from "@/lib/platform/request-context/acting";
import type { ApiKeyScope } from "./schemas";

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

// The pepper is derived from the KMS master key: a database dump alone cannot test guesses.
function keyHash(fullKey: string): string {
  const pepper = deriveTenantKey("pqseal", "api-key-pepper");
  const hash = createHmac("sha256", pepper).update(fullKey).digest("hex");
  pepper.fill(0);
  return hash;
}

export async function createApiKey(
  ctx: Acting,
  input: {
    name: string;
    environment: "live" | "test";
    scopes: ApiKeyScope[];
    expiresInDays?: number | undefined;
    /** The client's ML-KEM-768 public key (base64): proxy responses are encrypted to it. */
    clientPublicKey?: string | undefined;
  },
) {
  const clientPublicKey = input.clientPublicKey
    ? parseClientPublicKey(input.clientPublicKey)
    : undefined;
  const secret = base62(randomBytes(32));
  const fullKey = `qs_${input.environment}_${secret}`;
  const prefix = `qs_${input.environment}_${secret.slice(0, PREFIX_CHARS)}`;
  const id = newId("apiKey");
  const expiresAt = input.expiresInDays
    ? new Date(Date.now() + input.expiresInDays * 86_400_000)
    : null;
  let clientKey: { id: string; fingerprint: string } | undefined;
  await getDb().transaction(async (tx) => {
    clientKey = clientPublicKey
      ? await registerClientKey(tx, ctx, { name: input.name, publicKey: clientPublicKey })
      : undefined;
    await tx.insert(apiKeys).values({
      clientKeyId: clientKey?.id ?? null,
      id,
      tenantId: ctx.tenantId,
      name: input.name,
      prefix,
      secretHash: keyHash(fullKey),
      scopes: input.scopes,
      expiresAt,
      createdBy: actingUserId(ctx),
    });
    await recordAudit(tx, ctx, {
      action: "api_key.created",
      outcome: "succeeded",
      target: { type: "api_key", id },
      details: {
        name: input.name,
        prefix,
        scopes: input.scopes,
        expires_at: expiresAt?.toISOString() ?? null,
        client_key_id: clientKey?.id ?? null,
      },
    });
  });
  return { id, key: fullKey, prefix, clientKeyId: clientKey?.id ?? null };
}

export async function revokeApiKey(ctx: Acting, input: { keyId: string }) {
  await getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(apiKeys.tenantId, ctx.tenantId),
          eq(apiKeys.id, input.keyId),
          isNull(apiKeys.revokedAt),
        ),
      )
      .returning({ id: apiKeys.id, prefix: apiKeys.prefix });
    if (!row) throw new AppError("not_found", "That API key was not found or is already revoked.");
    await recordAudit(tx, ctx, {
      action: "api_key.revoked",
      outcome: "succeeded",
      target: { type: "api_key", id: row.id },
      details: { prefix: row.prefix },
    });
  });
}

export async function listApiKeys({ tenantId }: { tenantId: string }) {
  return getDb()
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      clientKeyId: apiKeys.clientKeyId,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      createdAt: apiKeys.createdAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.tenantId, tenantId))
    .orderBy(desc(apiKeys.createdAt));
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
