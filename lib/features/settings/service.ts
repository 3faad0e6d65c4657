import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { tenants } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { notFound } from "@/lib/platform/errors/app-error";
import { assertForwardUrl } from "@/lib/platform/http/ssrf";
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

/**
 * Sets (or clears, with null) where every signed audit checkpoint is also sent. The audit
 * event names the host only: a URL may carry a token in its path or query.
 */
export async function updateCheckpointForwarding(ctx: Acting, input: { url: string | null }) {
  assertForwardUrl(input.url, "checkpointForwardUrl");
  await getDb().transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(tenants)
      .where(eq(tenants.id, ctx.tenantId))
      .for("update");
    if (!before) throw notFound("Tenant");
    if (before.checkpointForwardUrl === input.url) return;
    await tx
      .update(tenants)
      .set({ checkpointForwardUrl: input.url })
      .where(eq(tenants.id, ctx.tenantId));
    const host = (url: string | null) => (url ? new URL(url).host : null);
    await recordAudit(tx, ctx, {
      action: "settings.updated",
      outcome: "succeeded",
      target: { type: "tenant", id: ctx.tenantId },
      details: {
        checkpoint_forward_host: { from: host(before.checkpointForwardUrl), to: host(input.url) },
      },
    });
  });
}
