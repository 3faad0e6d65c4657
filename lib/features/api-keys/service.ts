import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db";
import { apiKeys } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { AppError } from "@/lib/platform/errors/app-error";
import { newId } from "@/lib/shared/ids";
import { parseClientPublicKey, registerClientKey } from "@/lib/platform/keys/client-keys";
import { generateApiKey, keyHash } from "@/lib/platform/keys/api-keys";
import type { ApiKeyScope } from "@/lib/shared/api-key-scopes";
import { actingUserId, type Acting } from "@/lib/platform/request-context/acting";

export async function createApiKey(
  ctx: Acting,
  input: {
    name: string;
    environment: "live" | "test";
    scopes: ApiKeyScope[];
    expiresInDays?: number | undefined;
    /** The client's ML-KEM-768 public key (base64): proxy responses are encrypted to it. */
    clientPublicKey?: string | undefined;
    /** Canonical CIDRs the key may be used from (empty or absent: anywhere). */
    allowedNetworks?: string[] | undefined;
    ratePerSecond?: number | undefined;
    burst?: number | undefined;
  },
) {
  const clientPublicKey = input.clientPublicKey
    ? parseClientPublicKey(input.clientPublicKey)
    : undefined;
  const { fullKey, prefix } = generateApiKey(input.environment);
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
      allowedCidrs: input.allowedNetworks ?? [],
      ratePerSecond: input.ratePerSecond ?? null,
      burst: input.burst ?? null,
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
        allowed_networks: input.allowedNetworks ?? [],
        rate_per_second: input.ratePerSecond ?? null,
        burst: input.burst ?? null,
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

const liveKey = (ctx: Acting, keyId: string) =>
  and(eq(apiKeys.tenantId, ctx.tenantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt));

const NOT_FOUND = "That API key was not found or is revoked.";

/**
 * A new secret for a key (shown once): the same key id and prefix, so its scopes, client key,
 * allowed networks and audit trail stay. The old secret keeps working for `graceHours` (0: it
 * stops at once); a second roll within the grace ends the first secret at once (a key has at
 * most two live secrets).
 */
export async function rollApiKey(
  ctx: Acting,
  input: { keyId: string; graceHours: number; expiresInDays?: number | undefined },
) {
  const now = new Date();
  return getDb().transaction(async (tx) => {
    const [row] = await tx.select().from(apiKeys).where(liveKey(ctx, input.keyId)).for("update");
    if (!row) throw new AppError("not_found", NOT_FOUND);
    if (!input.expiresInDays && row.expiresAt && row.expiresAt <= now) {
      const message = "This key has expired: give the new secret an expiry (days).";
      throw new AppError("invalid_input", message, { fieldErrors: { expiresInDays: [message] } });
    }
    const environment = row.prefix.startsWith("qs_test_") ? "test" : "live";
    const { fullKey, prefix } = generateApiKey(environment, row.prefix);
    if (prefix !== row.prefix) throw new Error("a rolled key must keep its prefix");
    const previousValidUntil =
      input.graceHours > 0 ? new Date(now.getTime() + input.graceHours * 3_600_000) : null;
    const expiresAt = input.expiresInDays
      ? new Date(now.getTime() + input.expiresInDays * 86_400_000)
      : row.expiresAt;
    await tx
      .update(apiKeys)
      .set({
        secretHash: keyHash(fullKey),
        previousSecretHash: previousValidUntil ? row.secretHash : null,
        previousValidUntil,
        rolledAt: now,
        expiresAt,
      })
      .where(liveKey(ctx, input.keyId));
    await recordAudit(tx, ctx, {
      action: "api_key.rolled",
      outcome: "succeeded",
      target: { type: "api_key", id: row.id },
      details: {
        prefix,
        grace_hours: input.graceHours,
        previous_valid_until: previousValidUntil?.toISOString() ?? null,
        expires_at: expiresAt?.toISOString() ?? null,
      },
    });
    return { id: row.id, key: fullKey, prefix, previousValidUntil, expiresAt };
  });
}

/** Where a key may be used from and its own request rate; audited with the change. */
export async function updateApiKeyAccess(
  ctx: Acting,
  input: {
    keyId: string;
    allowedNetworks: string[];
    ratePerSecond?: number | undefined;
    burst?: number | undefined;
  },
) {
  await getDb().transaction(async (tx) => {
    const [before] = await tx.select().from(apiKeys).where(liveKey(ctx, input.keyId)).for("update");
    if (!before) throw new AppError("not_found", NOT_FOUND);
    const after = {
      allowedCidrs: input.allowedNetworks,
      ratePerSecond: input.ratePerSecond ?? null,
      burst: input.burst ?? null,
    };
    await tx.update(apiKeys).set(after).where(liveKey(ctx, input.keyId));
    await recordAudit(tx, ctx, {
      action: "api_key.updated",
      outcome: "succeeded",
      target: { type: "api_key", id: before.id },
      details: {
        prefix: before.prefix,
        allowed_networks: { from: before.allowedCidrs, to: after.allowedCidrs },
        rate_per_second: { from: before.ratePerSecond, to: after.ratePerSecond },
        burst: { from: before.burst, to: after.burst },
      },
    });
  });
}
