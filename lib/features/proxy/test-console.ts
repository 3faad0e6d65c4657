import "server-only";
import { randomBytes } from "node:crypto";
import { env } from "@/lib/platform/config/env";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";
import { fromB64, toHex, wipe } from "@/lib/shared/crypto/bytes";
import { deriveHmacKey, openEnvelope } from "@/lib/shared/crypto/envelope-format";
import { serverBackend } from "@/lib/platform/crypto/server-backend";
import { listTenantKeys } from "@/lib/platform/keys/tenant-keys";
import { AppError } from "@/lib/platform/errors/app-error";
import { newId } from "@/lib/shared/ids";
import { maskPhone, isE164 } from "@/lib/shared/phone";
import type { Operation } from "@/lib/features/integrations/schemas";
import type { TenantContext } from "@/lib/platform/request-context/resolve-tenant";
import { consoleOutcome, refusalOutcome, type ConsoleOutcome } from "./console-outcome";
import { consoleFormSchema } from "./schemas";
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
  operation: Operation;
  /** PQSEAL's HTTP status for the call (Twilio's failure mapped, or the refusal's). */
  status: number;
  /** What it came to, in words a person can act on (a wrong code is not a success). */
  outcome: ConsoleOutcome;
  /** The envelope's request id; null when PQSEAL refused before answering with one. */
  requestId: string | null;
  auditEventId: string | null;
  /** The member may open the audit event (audit:read); others see its id as text. */
  auditEventReadable: boolean;
  /** The answer came as an envelope, verified (both signatures) and decrypted here. */
  verified: boolean;
  /** The decrypted payload ({ data } or { error }), numbers masked. */
  result: unknown;
};

type ConsoleInput = {
  integration_id: string;
  operation: Operation;
  payload: Record<string, unknown>;
};

/**
 * The test console runs the real proxy pipeline as the signed-in member: the answer is a real
 * HybridCryptoEnvelope, encrypted to a one-off ML-KEM-768 key pair and HMAC key made for this
 * call, then verified (both signatures) and decrypted exactly as the SDK does. A refusal
 * (policy, limits, an outage) is answered as a failed result with its code, remediation and
 * retry time; a refusal of the input throws with its errors filed under the form's fields.
 */
export async function runConsoleOperation(
  ctx: TenantContext,
  input: ConsoleInput,
): Promise<ConsoleResult> {
  const common = { operation: input.operation, auditEventReadable: ctx.can("audit:read") };
  let opened: Awaited<ReturnType<typeof openConsoleEnvelope>>;
  try {
    opened = await openConsoleEnvelope(ctx, input);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.options.fieldErrors) throw besideFormFields(error);
    const outcome = refusalOutcome(input.operation, error);
    return {
      ...common,
      status: error.status,
      outcome,
      requestId: null,
      auditEventId: null,
      verified: false,
      result: { error: outcome.error },
    };
  }
  // Only the masked payload leaves: the opened one holds full numbers.
  const { status, requestId, auditEventId, payload } = opened;
  const outcome = await consoleOutcome(ctx.tenantId, input, opened);
  return {
    ...common,
    status,
    outcome,
    requestId,
    auditEventId,
    verified: true,
    result: maskNumbers(payload),
  };
}

async function openConsoleEnvelope(ctx: TenantContext, input: ConsoleInput) {
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
      payload,
    };
  } finally {
    wipe(recipient.secretKey);
  }
}

const FORM_FIELDS = new Set(Object.keys(consoleFormSchema.shape));

/**
 * The proxy names a payload's bad field `payload.to`; the console's input is named `to`. The
 * errors are filed under the form's fields so each shows beside its input; one about the
 * payload as a whole stays in the message (it already says it).
 */
function besideFormFields(error: AppError): AppError {
  const fields: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(error.options.fieldErrors ?? {})) {
    const name = key.replace(/^payload\./, "");
    if (messages && FORM_FIELDS.has(name)) (fields[name] ??= []).push(...messages);
  }
  const { fieldErrors: _, ...options } = error.options;
  return new AppError(error.code, error.message, {
    ...options,
    ...(Object.keys(fields).length > 0 ? { fieldErrors: fields } : {}),
    cause: error,
  });
}
