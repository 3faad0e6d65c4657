import "server-only";
import { KMS_PURPOSES } from "@/lib/platform/kms/purposes";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { tenants } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { AppError } from "@/lib/platform/errors/app-error";
import { logger } from "@/lib/platform/log/logger";
import type { Acting } from "@/lib/platform/request-context/acting";
import { AWS_KMS_ARN } from "@/lib/platform/kms/aws-kms";
import {
  tenantKmsSettings,
  unwrapForTenant,
  wrapWith,
  type KmsSettings,
} from "@/lib/platform/kms/kms";

/**
 * Changes which KMS wraps the tenant's secrets. The new settings are proven first (a probe is
 * wrapped and unwrapped), so a wrong ARN or missing permission is an error here, not an outage
 * later. The caller then runs the re-wrap job to move existing secrets.
 */
export async function updateKmsSettings(acting: Acting, next: KmsSettings) {
  if (next.provider === "aws-kms" && !(next.keyArn && AWS_KMS_ARN.test(next.keyArn))) {
    throw new AppError("invalid_input", "Enter the ARN of the tenant's AWS KMS key.", {
      fieldErrors: {
        keyArn: ["Expected arn:aws:kms:<region>:<account>:key/<id> (or alias/<name>)."],
      },
    });
  }
  const settings: KmsSettings =
    next.provider === "aws-kms" ? next : { provider: "local", keyArn: null };
  try {
    const probe = new Uint8Array([1, 2, 3, 4]);
    const wrapped = await wrapWith(settings, acting.tenantId, KMS_PURPOSES.probe, probe);
    const back = await unwrapForTenant(acting.tenantId, KMS_PURPOSES.probe, wrapped);
    if (back.length !== 4) throw new Error("probe mismatch");
  } catch (error) {
    logger().warn({ err: error, tenantId: acting.tenantId }, "KMS probe failed");
    throw new AppError(
      "kms_unavailable",
      "The KMS refused or could not be reached with these settings; nothing was changed.",
      {
        remediation:
          "Check the key ARN and that this server's AWS role may call kms:GenerateDataKey and kms:Decrypt on it.",
        cause: error,
      },
    );
  }
  const previous = await tenantKmsSettings(acting.tenantId);
  await getDb().transaction(async (tx) => {
    await tx
      .update(tenants)
      .set({ kmsProvider: settings.provider, kmsKeyArn: settings.keyArn })
      .where(eq(tenants.id, acting.tenantId));
    await recordAudit(tx, acting, {
      action: "settings.updated",
      outcome: "succeeded",
      target: { type: "tenant", id: acting.tenantId },
      details: {
        kms_provider: { from: previous.provider, to: settings.provider },
        kms_key_arn: { from: previous.keyArn, to: settings.keyArn },
      },
    });
  });
  return settings;
}
