import "server-only";
import { AppError } from "@/lib/platform/errors/app-error";
import { getClientKey } from "@/lib/platform/keys/client-keys";
import { fromB64 } from "@/lib/shared/crypto/bytes";
import { sealEnvelope, type HybridCryptoEnvelope } from "@/lib/shared/crypto/envelope-format";
import { newId } from "@/lib/shared/ids";
import { serverBackend } from "./server-backend";
import { TtlCache } from "@/lib/platform/cache/ttl-cache";
import { currentTenantKeyCached, withSecretKey } from "@/lib/platform/keys/tenant-keys";

/**
 * What a client may send in X-Client-Request-Id; echoed as the envelope's request_id and kept
 * in the audit event. At least one letter, so it can never read as a phone number (which the
 * audit log refuses to store in the clear).
 */
const CLIENT_REQUEST_ID = /^(?=[^A-Za-z]*[A-Za-z])[A-Za-z0-9._:-]{8,128}$/;

export type EnvelopeCaller = {
  tenantId: string;
  clientKeyId: string | null;
  envelopeHmacKey: () => Promise<Uint8Array>;
};

/**
 * The response's request id: the client's own (validated) when it sent one, else the request's
 * id, unless that is the caller's X-Request-Id: a client may send that one again with a retry,
 * and an envelope's id is new for every request (a replay cache rejects a repeated one).
 */
export function envelopeRequestId(headers: Headers, requestId: string): string {
  const fromClient = headers.get("x-client-request-id");
  if (fromClient === null) {
    return requestId === headers.get("x-request-id") ? newId("request") : requestId;
  }
  if (!CLIENT_REQUEST_ID.test(fromClient)) {
    throw new AppError(
      "invalid_input",
      "X-Client-Request-Id must be 8-128 characters of letters, digits and . _ : -, with at least one letter.",
      { remediation: "Use an id such as a UUID or order-42-sms." },
    );
  }
  return fromClient;
}

// Client public keys are immutable; a revocation is seen within 10 s. The decoded key is kept
// with the row: the same bytes each time let the ML-KEM backend reuse its imported key.
type Recipient = { keyId: string; publicKey: Uint8Array };
const clientKeys = new TtlCache<Recipient | null>(10_000, "client_public_keys");

/** Fails before any work is done when the calling key has no client key to encrypt to. */
export async function recipientFor(caller: EnvelopeCaller): Promise<Recipient> {
  const clientKeyId = caller.clientKeyId;
  const recipient = clientKeyId
    ? await clientKeys.get(`${caller.tenantId}:${clientKeyId}`, async () => {
        const key = await getClientKey(caller.tenantId, clientKeyId);
        return key && !key.revokedAt ? { keyId: key.id, publicKey: fromB64(key.publicKey) } : null;
      })
    : null;
  if (!recipient) {
    throw new AppError(
      "client_key_required",
      "This API key has no client public key, so its responses cannot be encrypted.",
      {
        remediation:
          "Create a new API key in the console: it generates the client key pair in your browser.",
      },
    );
  }
  return recipient;
}

/**
 * Builds a HybridCryptoEnvelope (ENVELOPE.md) for the calling API key: encrypted to its client
 * public key, signed with the tenant's ML-DSA-65 key that signs now (after a rotation, the old
 * key until the switch-over; ENVELOPE.md §9.1), named in `signing_key_id`, and HMAC-SHA-512
 * under a key derived from the API key the client presented.
 */
export async function buildEnvelope(
  caller: EnvelopeCaller,
  input: {
    recipient: { keyId: string; publicKey: Uint8Array };
    requestId: string;
    auditEventId: string | null;
    success: boolean;
    payload: unknown;
  },
): Promise<HybridCryptoEnvelope> {
  const [backend, signingKey, hmacKey] = await Promise.all([
    serverBackend(),
    currentTenantKeyCached(caller.tenantId, "signing"),
    caller.envelopeHmacKey(),
  ]);
  try {
    return await withSecretKey(signingKey, "signing", (secretKey) =>
      sealEnvelope(backend, {
        tenantId: caller.tenantId,
        requestId: input.requestId,
        issuedAt: new Date(),
        auditEventId: input.auditEventId,
        success: input.success,
        recipient: input.recipient,
        signer: { keyId: signingKey.id, secretKey },
        hmacKey,
        payload: input.payload,
      }),
    );
  } finally {
    hmacKey.fill(0);
  }
}
