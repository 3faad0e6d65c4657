import "server-only";
import { and, eq, ne } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { memberships, type Role } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { AppError, forbidden, notFound } from "@/lib/platform/errors/app-error";
import { PERMISSIONS } from "@/lib/platform/request-context/permissions";
import type { TenantContext } from "@/lib/platform/request-context/resolve-tenant";
import { isId } from "@/lib/shared/ids";

async function getMembershipOrThrow(tx: Tx, { tenantId, id }: { tenantId: string; id: string }) {
  if (!isId("membership", id)) throw notFound("Member");
  // Locked so two concurrent changes cannot both pass the last-owner check.
  const [row] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.id, id)))
    .for("update");
  if (!row) throw notFound("Member");
  return row;
}

async function assertAnotherOwner(tx: Tx, tenantId: string, exceptId: string) {
  const others = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.role, "owner"),
        ne(memberships.id, exceptId),
      ),
    )
    .for("update");
  if (others.length === 0) {
    throw new AppError("last_owner", "A tenant must keep at least one owner.", {
      remediation: "Make another member an owner first.",
    });
  }
}

/** Only an owner may grant the owner role or change or remove an owner. */
function assertMayTouch(ctx: TenantContext, current: Role, next?: Role) {
  if (!ctx.can("members:write")) throw forbidden(PERMISSIONS["members:write"]);
  if ((current === "owner" || next === "owner") && !ctx.can("owners:manage")) {
    throw forbidden(PERMISSIONS["owners:manage"]);
  }
}

export async function changeRole(ctx: TenantContext, input: { membershipId: string; role: Role }) {
  await getDb().transaction(async (tx) => {
    const target = await getMembershipOrThrow(tx, {
      tenantId: ctx.tenantId,
      id: input.membershipId,
    });
    assertMayTouch(ctx, target.role, input.role);
    if (target.role === input.role) return;
    if (target.role === "owner") await assertAnotherOwner(tx, ctx.tenantId, target.id);
    await tx
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.id, target.id)));
    await recordAudit(tx, ctx, {
      action: "member.role_changed",
      outcome: "succeeded",
      target: { type: "membership", id: target.id },
      details: { user_id: target.userId, role: { from: target.role, to: input.role } },
    });
  });
}

export async function removeMember(ctx: TenantContext, input: { membershipId: string }) {
  await getDb().transaction(async (tx) => {
    const target = await getMembershipOrThrow(tx, {
      tenantId: ctx.tenantId,
      id: input.membershipId,
    });
    assertMayTouch(ctx, target.role);
    if (target.role === "owner") await assertAnotherOwner(tx, ctx.tenantId, target.id);
    await tx
      .delete(memberships)
      .where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.id, target.id)));
    await recordAudit(tx, ctx, {
      action: "member.removed",
      outcome: "succeeded",
      target: { type: "membership", id: target.id },
      details: { user_id: target.userId, role: target.role },
    });
  });
}
