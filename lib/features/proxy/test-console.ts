import "server-only";
import { randomBytes } from "node:crypto";
import { env } from "@/lib/platform/config/env";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";
import { fromB64, toHex, wipe } from "@/lib/shared/crypto/bytes";
import { deriveHmacKey, openEnvelope } from "@/lib/shared/crypto/envelope-format";
import { serverBackend } from "@/lib/platform/crypto/server-backend";
import { listTenantKeys } from "@/lib/platform/keys/tenant-keys";
import { newId } from "@/lib/shared/ids";
import { maskPhone, isE164 } from "@/lib/shared/phone";
import type { TenantContext } from "@/lib/platform/request-context/resolve-tenant";
import { runOutbound } from "./service";

/** Full phone numbers never reach pages: show the last two digits only. */
function maskNumbers(value: unknown): unknown {
  if (typeof value === "string") return isE164(value) ? maskPhone(value) : value;
  if (Array.isArray(value)) return value.map(maskNumbers);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskNumbers(v)]));
  }
  return value;
}

export type ConsoleResult = {
  status: number;
  success: boolean;
  requestId: string;
  auditEventId: string | null;
  verified: true;
  result: unknown;
};

/**
 * The test console runs the real proxy pipeline as the signed-in member: the answer is a real
 * HybridCryptoEnvelope, encrypted to a one-off ML-KEM-768 key pair and HMAC key made for this
 * call, then verified (both signatures) and decrypted exactly as the SDK does.
 */
export async function runConsoleOperation(
  ctx: TenantContext,
  input: { integration_id: string; operation: string; payload: Record<string, unknown> },
): Promise<ConsoleResult> {
  const recipient = nobleBackend.kemKeygen(new Uint8Array(randomBytes(64)));
  const hmacSource = `console_${toHex(new Uint8Array(randomBytes(32)))}`;
  const requestId = newId("request");
  const outcome = await runOutbound(
    input,
    {
      ...ctx,
      keyId: `console:${ctx.userId}`,
      clientKeyId: null,
      envelopeHmacKey: async () => deriveHmacKey(await serverBackend(), hmacSource, ctx.tenantId),
    },
    {
      requestId,
      idempotencyKey: null,
      recipient: { keyId: "console-ephemeral", publicKey: recipient.publicKey },
    },
  );
  const signingKeys = await listTenantKeys(ctx.tenantId, "signing");
  try {
    const { payload, envelope } = openEnvelope(nobleBackend, outcome.envelope, {
      tenantId: ctx.tenantId,
      recipient: { keyId: "console-ephemeral", secretKey: recipient.secretKey },
      signingPublicKeys: Object.fromEntries(signingKeys.map((k) => [k.id, fromB64(k.publicKey)])),
      hmacKey: deriveHmacKey(nobleBackend, hmacSource, ctx.tenantId),
      requestId,
      maxAgeSeconds: env().PQSEAL_ENVELOPE_MAX_AGE_SECONDS,
    });
    return {
      status: outcome.status,
      success: envelope.success,
      requestId,
      auditEventId: envelope.audit_event_id,
      verified: true,
      result: maskNumbers(payload),
    };
  } finally {
    wipe(recipient.secretKey);
  }
}
