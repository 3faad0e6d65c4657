import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { tenants } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { notFound } from "@/lib/platform/errors/app-error";
import type { Acting } from "@/lib/platform/request-context/acting";

/** Changes the audit retention; the event carries the before/after of the non-secret field. */
export async function updateRetention(ctx: Acting, input: { auditRetentionDays: number }) {
  await getDb().transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(tenants)
      .where(eq(tenants.id, ctx.tenantId))
      .for("update");
    if (!before) throw notFound("Tenant");
    if (before.auditRetentionDays === input.auditRetentionDays) return;
    await tx
      .update(tenants)
      .set({ auditRetentionDays: input.auditRetentionDays })
      .where(eq(tenants.id, ctx.tenantId));
    await recordAudit(tx, ctx, {
      action: "settings.updated",
      outcome: "succeeded",
      target: { type: "tenant", id: ctx.tenantId },
      details: {
        audit_retention_days: { from: before.auditRetentionDays, to: input.auditRetentionDays },
      },
    });
  });
}
