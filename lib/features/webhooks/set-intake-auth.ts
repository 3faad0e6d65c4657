import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { integrations } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { notFound } from "@/lib/platform/errors/app-error";
import type { Acting } from "@/lib/platform/request-context/acting";
import { isId } from "@/lib/shared/ids";
import { intakeAuthHash, newIntakeCredentials } from "./intake-auth";

/**
 * Turns on HTTP Basic credentials for the integration's intake URLs, or replaces them: a new
 * username and password, of which only a keyed hash is stored. The old pair stops working at
 * once (Twilio's console must get the new URLs). Returns the pair, to be shown once.
 */
export async function setIntakeAuth(acting: Acting, integrationId: string) {
  if (!isId("integration", integrationId)) throw notFound("Integration");
  const { username, password } = newIntakeCredentials();
  const hash = intakeAuthHash(acting.tenantId, integrationId, password);
  await writeIntakeAuth(acting, integrationId, { username, hash });
  return { username, password };
}

/** Turns the intake credentials off: signed requests are accepted without them again. */
export async function removeIntakeAuth(acting: Acting, integrationId: string) {
  if (!isId("integration", integrationId)) throw notFound("Integration");
  await writeIntakeAuth(acting, integrationId, null);
}

/**
 * Stores the integration's intake credentials (`next`: username and password hash, or null for
 * none) with its audit event, in one transaction. Turning off what is off writes nothing.
 */
async function writeIntakeAuth(
  acting: Acting,
  integrationId: string,
  next: { username: string; hash: string } | null,
) {
  const own = and(eq(integrations.tenantId, acting.tenantId), eq(integrations.id, integrationId));
  await getDb().transaction(async (tx) => {
    const [before] = await tx
      .select({ username: integrations.intakeAuthUsername })
      .from(integrations)
      .where(own)
      .for("update");
    if (!before) throw notFound("Integration");
    if (!next && !before.username) return;
    await tx
      .update(integrations)
      .set({
        intakeAuthUsername: next?.username ?? null,
        intakeAuthHash: next?.hash ?? null,
        updatedAt: new Date(),
      })
      .where(own);
    await recordAudit(tx, acting, {
      action: "integration.updated",
      outcome: "succeeded",
      target: { type: "integration", id: integrationId },
      integrationId,
      // The username only: the password is in no event.
      details: {
        intake_auth: !next ? "disabled" : before.username ? "regenerated" : "enabled",
        diff: { intake_auth_username: { from: before.username, to: next?.username ?? null } },
      },
    });
  });
}
