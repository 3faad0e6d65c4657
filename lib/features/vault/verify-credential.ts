import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { credentials } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { AppError, notFound } from "@/lib/platform/errors/app-error";
import type { Acting } from "@/lib/platform/request-context/acting";
import {
  accountSidOf,
  isTwilioCredential,
  maskAccountSid,
  type CredentialCheck,
} from "./check-credential";
import { getCredentialOrThrow, type CredentialMetadata } from "./queries";
import { unsealCredential } from "./service";

/**
 * "Check again": tries the credential's current values against Twilio (`check`, the account
 * fetch) and records when Twilio last accepted them. Either way the attempt is audited as
 * `vault.verified` (succeeded, or failed with Twilio's error code); a refusal is then thrown,
 * and the last successful check stays as it was.
 */
export async function verifyCredential(
  acting: Acting,
  id: string,
  check: CredentialCheck,
): Promise<CredentialMetadata> {
  const { type } = await getCredentialOrThrow({ tenantId: acting.tenantId, id });
  if (type === "webhook_secret") {
    throw new AppError(
      "invalid_input",
      "A webhook_secret is not checked against Twilio: it only checks webhook signatures.",
    );
  }
  // The use is recorded in this action's own event, not in a separate vault.unsealed.
  const [current] = await unsealCredential(acting, id, { reason: "verify", audit: false });
  const twilio = current ? { type: current.type, values: current.values } : null;
  if (!current || !twilio || !isTwilioCredential(twilio)) throw notFound("Credential");
  let refused: Error | null = null;
  try {
    await check(twilio, acting.tenantId);
  } catch (error) {
    refused =
      error instanceof Error ? error : new Error("credential check failed", { cause: error });
  }
  await getDb().transaction(async (tx) => {
    if (!refused) {
      // Only the version that was checked: a rotation meanwhile has its own check.
      await tx
        .update(credentials)
        .set({ verifiedAt: new Date() })
        .where(
          and(
            eq(credentials.tenantId, acting.tenantId),
            eq(credentials.id, id),
            eq(credentials.currentVersion, current.version),
          ),
        );
    }
    await recordAudit(tx, acting, {
      action: "vault.verified",
      outcome: refused ? "failed" : "succeeded",
      target: { type: "credential", id },
      details: {
        version: current.version,
        account_sid_masked: maskAccountSid(accountSidOf(twilio)),
        ...(refused
          ? { error: refused instanceof AppError ? refused.code : "internal_error" }
          : {}),
      },
    });
  });
  if (refused) throw refused;
  return getCredentialOrThrow({ tenantId: acting.tenantId, id });
}
