import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { tenants, type Tenant } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { notFound } from "@/lib/platform/errors/app-error";
import { assertForwardUrl } from "@/lib/platform/http/ssrf";
import type { Acting } from "@/lib/platform/request-context/acting";

type TenantChange = { set: Partial<Tenant>; details: Record<string, unknown> };

/**
 * Locks the tenant row, asks `diff` what changes (null: nothing), writes it and its
 * `settings.updated` event (non-secret before/after) in the same transaction.
 */
async function changeTenantSettings(ctx: Acting, diff: (before: Tenant) => TenantChange | null) {
  await getDb().transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(tenants)
      .where(eq(tenants.id, ctx.tenantId))
      .for("update");
    if (!before) throw notFound("Tenant");
    const change = diff(before);
    if (!change) return;
    await tx.update(tenants).set(change.set).where(eq(tenants.id, ctx.tenantId));
    await recordAudit(tx, ctx, {
      action: "settings.updated",
      outcome: "succeeded",
      target: { type: "tenant", id: ctx.tenantId },
      details: change.details,
    });
  });
}

/** Changes the audit retention. */
export async function updateRetention(ctx: Acting, input: { auditRetentionDays: number }) {
  await changeTenantSettings(ctx, (before) =>
    before.auditRetentionDays === input.auditRetentionDays
      ? null
      : {
          set: { auditRetentionDays: input.auditRetentionDays },
          details: {
            audit_retention_days: { from: before.auditRetentionDays, to: input.auditRetentionDays },
          },
        },
  );
}

/**
 * Sets (or clears, with null) where every signed audit checkpoint is also sent. The audit
 * event names the host only: a URL may carry a token in its path or query.
 */
export async function updateCheckpointForwarding(ctx: Acting, input: { url: string | null }) {
  assertForwardUrl(input.url, "checkpointForwardUrl");
  const host = (url: string | null) => (url ? new URL(url).host : null);
  await changeTenantSettings(ctx, (before) =>
    before.checkpointForwardUrl === input.url
      ? null
      : {
          set: { checkpointForwardUrl: input.url },
          details: {
            checkpoint_forward_host: {
              from: host(before.checkpointForwardUrl),
              to: host(input.url),
            },
          },
        },
  );
}
