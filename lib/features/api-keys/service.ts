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
