import { KMS_PURPOSES } from "@/lib/platform/kms/purposes";
import type { SealBinding } from "./seal";

// What each kind of sealed value is bound to (its AES-GCM associated data). The writer, the
// reader and the re-wrap job build a binding from the same function, so they always agree.
// The strings are part of stored ciphertexts: never change them.

export const credentialBinding = (
  tenantId: string,
  credentialId: string,
  type: string,
  version: number,
): SealBinding => ({ tenantId, subjectId: credentialId, type, version });

export const webhookRequestBinding = (tenantId: string, eventId: string): SealBinding => ({
  tenantId,
  subjectId: eventId,
  type: KMS_PURPOSES.webhookRequest,
  version: 1,
});

export const idempotentResultBinding = (
  tenantId: string,
  apiKeyId: string,
  key: string,
): SealBinding => ({
  tenantId,
  subjectId: `idem:${apiKeyId}:${key}`,
  type: KMS_PURPOSES.idempotentResult,
  version: 1,
});

export const forwardSecretBinding = (tenantId: string, integrationId: string): SealBinding => ({
  tenantId,
  subjectId: integrationId,
  type: KMS_PURPOSES.forwardSecret,
  version: 1,
});

export const auditStreamSecretBinding = (tenantId: string, streamId: string): SealBinding => ({
  tenantId,
  subjectId: streamId,
  type: KMS_PURPOSES.auditStreamSecret,
  version: 1,
});
