import "server-only";
import { userActing } from "@/lib/platform/request-context/acting";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { invites, memberships, tenants, users, type Role } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { hashPassword } from "@/lib/platform/auth/password";
import type { RequestMeta } from "@/lib/platform/http/request-meta";
import { AppError, forbidden } from "@/lib/platform/errors/app-error";
import { newId } from "@/lib/shared/ids";
import { PERMISSIONS } from "@/lib/platform/request-context/permissions";
import type { TenantContext } from "@/lib/platform/request-context/resolve-tenant";

const INVITE_TTL_MS = 72 * 60 * 60 * 1000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const inviteGone = () =>
  new AppError("invite_invalid", "This invite link is invalid, expired or already used.", {
    remediation: "Ask the person who invited you for a new link.",
  });

/** Creates a single-use invite; the token is returned once and only its hash is stored. */
export async function createInvite(ctx: TenantContext, input: { role: Role }) {
  if (input.role === "owner" && !ctx.can("owners:manage"))
    throw forbidden(PERMISSIONS["owners:manage"]);
  const token = randomBytes(32).toString("base64url");
  const id = newId("invite");
  const expiresAt = new Date(Date.now() + INVITE_TTL_MS);
  await getDb().transaction(async (tx) => {
    await tx.insert(invites).values({
      id,
      tenantId: ctx.tenantId,
      role: input.role,
      tokenHash: hashToken(token),
      createdBy: ctx.userId,
      expiresAt,
    });
    await recordAudit(tx, ctx, {
      action: "member.invited",
      outcome: "succeeded",
      target: { type: "invite", id },
      details: { role: input.role, expires_at: expiresAt.toISOString() },
    });
  });
  return { id, token, expiresAt };
}

export async function revokeInvite(ctx: TenantContext, input: { inviteId: string }) {
  await getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(invites)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(invites.tenantId, ctx.tenantId),
          eq(invites.id, input.inviteId),
          isNull(invites.acceptedAt),
          isNull(invites.revokedAt),
        ),
      )
      .returning({ id: invites.id, role: invites.role });
    if (!row) throw inviteGone();
    await recordAudit(tx, ctx, {
      action: "member.invite_revoked",
      outcome: "succeeded",
      target: { type: "invite", id: row.id },
      details: { role: row.role },
    });
  });
}

/** Looks up a usable invite by its token, for the invite page. */
export async function findUsableInvite(token: string) {
  const [row] = await getDb()
    .select({ id: invites.id, role: invites.role, tenantName: tenants.name, tenantId: tenants.id })
    .from(invites)
    .innerJoin(tenants, eq(tenants.id, invites.tenantId))
    .where(
      and(
        eq(invites.tokenHash, hashToken(token)),
        isNull(invites.acceptedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, new Date()),
      ),
    );
  return row ?? null;
}

/** Consumes the invite and adds the membership, in one transaction: single use even under races. */
async function consumeInvite(
  tx: Tx,
  token: string,
  user: { id: string; email: string },
  meta: RequestMeta,
) {
  const userId = user.id;
  const [invite] = await tx
    .update(invites)
    .set({ acceptedAt: new Date(), acceptedBy: userId })
    .where(
      and(
        eq(invites.tokenHash, hashToken(token)),
        isNull(invites.acceptedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, new Date()),
      ),
    )
    .returning({ id: invites.id, tenantId: invites.tenantId, role: invites.role });
  if (!invite) throw inviteGone();
  const [existing] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.tenantId, invite.tenantId), eq(memberships.userId, userId)));
  if (existing) {
    throw new AppError("conflict", "You are already a member of this tenant.", {
      remediation: "Open the tenant from the switcher; the invite was not used.",
    });
  }
  const membershipId = newId("membership");
  await tx.insert(memberships).values({
    id: membershipId,
    tenantId: invite.tenantId,
    userId,
    role: invite.role,
  });
  await recordAudit(tx, userActing(invite.tenantId, { id: userId, email: user.email }, meta), {
    action: "member.joined",
    outcome: "succeeded",
    target: { type: "membership", id: membershipId },
    details: { invite_id: invite.id, role: invite.role },
  });
  return invite;
}

export async function acceptInviteAsUser(
  token: string,
  user: { id: string; email: string },
  meta: RequestMeta,
) {
  return getDb().transaction((tx) => consumeInvite(tx, token, user, meta));
}

export async function acceptInviteWithSignUp(
  input: { token: string; name: string; email: string; password: string },
  meta: RequestMeta,
) {
  const passwordHash = await hashPassword(input.password);
  return getDb().transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, input.email));
    if (taken) {
      throw new AppError("conflict", "An account with this e-mail already exists.", {
        remediation: "Sign in first, then open the invite link again.",
        fieldErrors: { email: ["An account with this e-mail already exists. Sign in first."] },
      });
    }
    const userId = newId("user");
    await tx
      .insert(users)
      .values({ id: userId, email: input.email, name: input.name, passwordHash });
    return consumeInvite(tx, input.token, { id: userId, email: input.email }, meta);
  });
}
