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
  await getDb().transaction(async (tx) => {
    const [before] = await tx
      .select({ username: integrations.intakeAuthUsername })
      .from(integrations)
      .where(and(eq(integrations.tenantId, acting.tenantId), eq(integrations.id, integrationId)))
      .for("update");
    if (!before) throw notFound("Integration");
    await tx
      .update(integrations)
      .set({ intakeAuthUsername: username, intakeAuthHash: hash, updatedAt: new Date() })
      .where(and(eq(integrations.tenantId, acting.tenantId), eq(integrations.id, integrationId)));
    await recordAudit(tx, acting, {
      action: "integration.updated",
      outcome: "succeeded",
      target: { type: "integration", id: integrationId },
      integrationId,
      // The username only: the password is in no event.
      details: {
        intake_auth: before.username ? "regenerated" : "enabled",
        diff: { intake_auth_username: { from: before.username, to: username } },
      },
    });
  });
  return { username, password };
}

/** Turns the intake credentials off: signed requests are accepted without them again. */
export async function removeIntakeAuth(acting: Acting, integrationId: string) {
  if (!isId("integration", integrationId)) throw notFound("Integration");
  await getDb().transaction(async (tx) => {
    const [before] = await tx
      .select({ username: integrations.intakeAuthUsername })
      .from(integrations)
      .where(and(eq(integrations.tenantId, acting.tenantId), eq(integrations.id, integrationId)))
      .for("update");
    if (!before) throw notFound("Integration");
    if (!before.username) return;
    await tx
      .update(integrations)
      .set({ intakeAuthUsername: null, intakeAuthHash: null, updatedAt: new Date() })
      .where(and(eq(integrations.tenantId, acting.tenantId), eq(integrations.id, integrationId)));
    await recordAudit(tx, acting, {
      action: "integration.updated",
      outcome: "succeeded",
      target: { type: "integration", id: integrationId },
      integrationId,
      details: {
        intake_auth: "disabled",
        diff: { intake_auth_username: { from: before.username, to: null } },
      },
    });
  });
}
