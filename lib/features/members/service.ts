import "server-only";
import { and, eq, ne } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { memberships, users, type Role } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { issuePasswordReset } from "@/lib/platform/auth/password-reset";
import { revokeUserSessions } from "@/lib/platform/auth/sessions";
import { clearFailures, lockedUntil, throttleKey } from "@/lib/platform/auth/sign-in-throttle";
import { AppError, forbidden, notFound } from "@/lib/platform/errors/app-error";
import { PERMISSIONS } from "@/lib/platform/request-context/permissions";
import type { TenantContext } from "@/lib/platform/request-context/resolve-tenant";
import { isId } from "@/lib/shared/ids";
import { usersBeyondReach } from "./account-reach";
import { mayTouch } from "./roles";

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
  if (mayTouch(ctx, current, next)) return;
  throw forbidden(PERMISSIONS[ctx.can("members:write") ? "owners:manage" : "members:write"]);
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

/** Refuses help that would reach the member's other tenants the caller does not own. */
async function assertOwnsTheMembersOtherTenants(tx: Tx, ctx: TenantContext, userId: string) {
  const beyond = await usersBeyondReach(tx, {
    tenantId: ctx.tenantId,
    callerId: ctx.userId,
    userIds: [userId],
    lock: true,
  });
  if (beyond.size === 0) return;
  throw new AppError(
    "forbidden",
    "This member also belongs to other organisations, which a reset link, an unlock or signing them out would reach too.",
    {
      remediation:
        'They can use "Forgot your password?" on the sign-in page, or ask an owner of their other organisations.',
    },
  );
}

/**
 * The member an owner or admin helps with their account (reset link, unlock, end sessions):
 * in this tenant, touchable by the caller's role (owners only for owners), not the caller,
 * who has their own account pages for that, and in no other tenant the caller does not own.
 */
async function helpedMemberOrThrow(tx: Tx, ctx: TenantContext, membershipId: string) {
  const target = await getMembershipOrThrow(tx, { tenantId: ctx.tenantId, id: membershipId });
  assertMayTouch(ctx, target.role);
  if (target.userId === ctx.userId) {
    throw new AppError("invalid_input", "This is your own account.", {
      remediation: "Use your account pages (Password, Sessions) instead.",
    });
  }
  await assertOwnsTheMembersOtherTenants(tx, ctx, target.userId);
  const [user] = await tx
    .select({ id: users.id, email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, target.userId));
  if (!user) throw notFound("Member");
  return { membership: target, user };
}

/**
 * A one-hour, single-use password reset link for a member (a deployment without e-mail, or a
 * member locked out). The token is returned once; only its hash is stored. Not for members
 * who sign in through single sign-on only: a password would open a second way in.
 */
export async function issueMemberResetLink(ctx: TenantContext, input: { membershipId: string }) {
  return getDb().transaction(async (tx) => {
    const { membership, user } = await helpedMemberOrThrow(tx, ctx, input.membershipId);
    if (!user.passwordHash) {
      throw new AppError("invalid_input", "This member signs in through single sign-on.", {
        remediation: "Their password is managed by your identity provider.",
      });
    }
    const reset = await issuePasswordReset(tx, user.id, ctx.userId);
    await recordAudit(tx, ctx, {
      action: "auth.password_reset_requested",
      outcome: "succeeded",
      target: { type: "membership", id: membership.id },
      details: {
        user_id: user.id,
        reset_id: reset.id,
        issued_by_role: ctx.role,
        expires_at: reset.expiresAt.toISOString(),
      },
    });
    return { token: reset.token, expiresAt: reset.expiresAt };
  });
}

/** Lifts a member's sign-in lockout (five wrong passwords) before its 15 minutes are over. */
export async function unlockMember(ctx: TenantContext, input: { membershipId: string }) {
  await getDb().transaction(async (tx) => {
    const { membership, user } = await helpedMemberOrThrow(tx, ctx, input.membershipId);
    const key = throttleKey(user.email);
    const until = await lockedUntil(tx, key);
    if (!until) {
      throw new AppError("conflict", "This member is not locked out.");
    }
    await clearFailures(tx, key);
    await recordAudit(tx, ctx, {
      action: "auth.unlocked",
      outcome: "succeeded",
      target: { type: "membership", id: membership.id },
      details: { user_id: user.id, locked_until: until.toISOString() },
    });
  });
}

/** Signs a member out everywhere (a lost laptop, a departure in progress). */
export async function endMemberSessions(ctx: TenantContext, input: { membershipId: string }) {
  return getDb().transaction(async (tx) => {
    const { membership, user } = await helpedMemberOrThrow(tx, ctx, input.membershipId);
    const count = await revokeUserSessions(tx, user.id);
    await recordAudit(tx, ctx, {
      action: "auth.session_revoked",
      outcome: "succeeded",
      target: { type: "membership", id: membership.id },
      details: { user_id: user.id, by: "owner", by_role: ctx.role, count },
    });
    return count;
  });
}
