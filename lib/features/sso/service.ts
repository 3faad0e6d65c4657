import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { ssoDomainMappings, type Role } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { AppError, forbidden, notFound } from "@/lib/platform/errors/app-error";
import { PERMISSIONS } from "@/lib/platform/request-context/permissions";
import type { TenantContext } from "@/lib/platform/request-context/resolve-tenant";
import { isId, newId } from "@/lib/shared/ids";
import { provedDomain } from "./queries";

type Mapping = typeof ssoDomainMappings.$inferSelect;
type Change = "added" | "changed" | "removed";

// A mapping decides who joins the tenant, in which role, and who may not use a password:
// owners only, whatever chokepoint the call came through.
function assertOwner(ctx: TenantContext) {
  if (!ctx.can("owners:manage")) throw forbidden(PERMISSIONS["owners:manage"]);
}

/**
 * A mapping joins everyone of its domain to the tenant (existing users too) and, with
 * `require_sso`, takes their password away: tenants are self-service, so an owner must show
 * the domain is theirs (see provedDomain).
 */
async function assertProvedDomain(tx: Tx, ctx: TenantContext, domain: string) {
  if ((await provedDomain(ctx, tx)) === domain) return;
  const message = `Sign in with single sign-on as someone @${domain} to map it.`;
  throw new AppError("forbidden", message, {
    remediation: `Sign out, then sign in with single sign-on with your own address in ${domain}.`,
    fieldErrors: { domain: [message] },
  });
}

async function getMappingOrThrow(tx: Tx, { tenantId, id }: { tenantId: string; id: string }) {
  if (!isId("ssoMapping", id)) throw notFound("Mapping");
  const [row] = await tx
    .select()
    .from(ssoDomainMappings)
    .where(and(eq(ssoDomainMappings.tenantId, tenantId), eq(ssoDomainMappings.id, id)))
    .for("update");
  if (!row) throw notFound("Mapping");
  return row;
}

function audit(tx: Tx, ctx: TenantContext, mapping: Mapping, change: Change) {
  return recordAudit(tx, ctx, {
    action: "sso.mapping_changed",
    outcome: "succeeded",
    target: { type: "sso_mapping", id: mapping.id },
    details: {
      domain: mapping.domain,
      role: mapping.role,
      require_sso: mapping.requireSso,
      change,
    },
  });
}

export async function addMapping(
  ctx: TenantContext,
  input: { domain: string; role: Role; requireSso: boolean },
) {
  assertOwner(ctx);
  return getDb().transaction(async (tx) => {
    await assertProvedDomain(tx, ctx, input.domain);
    const [row] = await tx
      .insert(ssoDomainMappings)
      .values({ id: newId("ssoMapping"), tenantId: ctx.tenantId, ...input })
      .onConflictDoNothing({ target: [ssoDomainMappings.tenantId, ssoDomainMappings.domain] })
      .returning();
    if (!row) {
      throw new AppError("conflict", "This domain is already mapped in this tenant.", {
        remediation: "Change the existing mapping instead.",
        fieldErrors: { domain: ["This domain is already mapped. Change its mapping instead."] },
      });
    }
    await audit(tx, ctx, row, "added");
    return row;
  });
}

export async function changeMapping(
  ctx: TenantContext,
  input: { mappingId: string; role: Role; requireSso: boolean },
) {
  assertOwner(ctx);
  await getDb().transaction(async (tx) => {
    const current = await getMappingOrThrow(tx, { tenantId: ctx.tenantId, id: input.mappingId });
    if (current.role === input.role && current.requireSso === input.requireSso) return;
    // Taking the domain's passwords away needs the same proof as mapping it.
    if (input.requireSso && !current.requireSso) {
      await assertProvedDomain(tx, ctx, current.domain);
    }
    const [row] = await tx
      .update(ssoDomainMappings)
      .set({ role: input.role, requireSso: input.requireSso })
      .where(
        and(eq(ssoDomainMappings.tenantId, ctx.tenantId), eq(ssoDomainMappings.id, current.id)),
      )
      .returning();
    if (row) await audit(tx, ctx, row, "changed");
  });
}

export async function removeMapping(ctx: TenantContext, input: { mappingId: string }) {
  assertOwner(ctx);
  await getDb().transaction(async (tx) => {
    const current = await getMappingOrThrow(tx, { tenantId: ctx.tenantId, id: input.mappingId });
    await tx
      .delete(ssoDomainMappings)
      .where(
        and(eq(ssoDomainMappings.tenantId, ctx.tenantId), eq(ssoDomainMappings.id, current.id)),
      );
    await audit(tx, ctx, current, "removed");
  });
}
