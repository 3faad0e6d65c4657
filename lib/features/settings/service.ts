import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { tenants, type Tenant } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { secondFactorsOf } from "@/lib/platform/auth/factors";
import { AppError, notFound } from "@/lib/platform/errors/app-error";
import { assertForwardUrl } from "@/lib/platform/http/ssrf";
import type { Acting } from "@/lib/platform/request-context/acting";

type TenantChange = { set: Partial<Tenant>; details: Record<string, unknown> };

/**
 * Locks the tenant row, asks `diff` what changes (null: nothing), writes it and its
 * `settings.updated` event (non-secret before/after) in the same transaction.
 */
async function changeTenantSettings(
  ctx: Acting,
  diff: (before: Tenant) => TenantChange | null,
  action: "settings.updated" | "settings.mfa_policy_changed" = "settings.updated",
) {
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
      action,
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

/**
 * Owners' "require a second factor" policy. Turning it on needs one on the owner's own account
 * first, so the policy can never shut out the person who set it.
 */
export async function updateMfaPolicy(
  ctx: Acting & { userId: string },
  input: { requireMfa: boolean },
) {
  if (input.requireMfa && !(await secondFactorsOf(getDb(), ctx.userId)).any) {
    throw new AppError(
      "conflict",
      "Add a passkey or an authenticator app to your own account before requiring one of every member.",
      { remediation: "Open Account → Second factors, add one, then come back." },
    );
  }
  await changeTenantSettings(
    ctx,
    (before) =>
      before.requireMfa === input.requireMfa
        ? null
        : {
            set: { requireMfa: input.requireMfa },
            details: { require_mfa: { from: before.requireMfa, to: input.requireMfa } },
          },
    "settings.mfa_policy_changed",
  );
}
