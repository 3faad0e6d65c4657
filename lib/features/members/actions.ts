"use server";
import { signUpAction } from "@/lib/platform/request-context/sign-up-action";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { currentRequestMeta } from "@/lib/platform/http/request-meta";
import { currentUser } from "@/lib/platform/auth/current-user";
import { RESET_PATH } from "@/lib/platform/auth/password-reset";
import { acceptInviteAsUser, acceptInviteWithSignUp, createInvite, revokeInvite } from "./invites";
import {
  changeRole,
  endMemberSessions,
  issueMemberResetLink,
  removeMember,
  unlockMember,
} from "./service";
import {
  acceptInviteSignUpSchema,
  changeRoleSchema,
  createInviteSchema,
  inviteIdSchema,
  inviteTokenSchema,
  membershipIdSchema,
} from "./schemas";
import {
  actionError,
  tenantAction,
  unreadableForm,
} from "@/lib/platform/request-context/tenant-action";
import type { ActionState } from "@/lib/shared/action-state";

export const createInviteAction = tenantAction(
  "members:write",
  createInviteSchema,
  async (ctx, input): Promise<ActionState<{ path: string; role: string }>> => {
    const invite = await createInvite(ctx, input);
    revalidatePath(`/t/${ctx.tenantId}/members`);
    return { ok: true, data: { path: `/invite/${invite.token}`, role: input.role } };
  },
);

export const revokeInviteAction = tenantAction(
  "members:write",
  inviteIdSchema,
  async (ctx, input) => {
    await revokeInvite(ctx, input);
    revalidatePath(`/t/${ctx.tenantId}/members`);
    return { ok: true, message: "Invite revoked." };
  },
);

export const changeRoleAction = tenantAction(
  "members:write",
  changeRoleSchema,
  async (ctx, input) => {
    await changeRole(ctx, input);
    revalidatePath(`/t/${ctx.tenantId}/members`);
    return { ok: true, message: "Role changed." };
  },
);

export const removeMemberAction = tenantAction(
  "members:write",
  membershipIdSchema,
  async (ctx, input) => {
    await removeMember(ctx, input);
    revalidatePath(`/t/${ctx.tenantId}/members`);
    return { ok: true, message: "Member removed." };
  },
);

export const issueResetLinkAction = tenantAction(
  "members:write",
  membershipIdSchema,
  async (ctx, input): Promise<ActionState<{ path: string; expiresAt: string }>> => {
    const reset = await issueMemberResetLink(ctx, input);
    return {
      ok: true,
      data: { path: `${RESET_PATH}/${reset.token}`, expiresAt: reset.expiresAt.toISOString() },
    };
  },
);

export const unlockMemberAction = tenantAction(
  "members:write",
  membershipIdSchema,
  async (ctx, input) => {
    await unlockMember(ctx, input);
    revalidatePath(`/t/${ctx.tenantId}/members`);
    return { ok: true, message: "Account unlocked." };
  },
);

export const endMemberSessionsAction = tenantAction(
  "members:write",
  membershipIdSchema,
  async (ctx, input) => {
    const count = await endMemberSessions(ctx, input);
    return { ok: true, message: `${count} session${count === 1 ? "" : "s"} ended.` };
  },
);

export async function acceptInviteAction(
  _prev: ActionState,
  formData: FormData,
): Promise<ActionState> {
  const unreadable = unreadableForm(formData);
  if (unreadable) return unreadable;
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  const token = inviteTokenSchema.safeParse(formData.get("token"));
  if (!token.success) return { message: "This invite link is not valid." };
  let tenantId: string;
  try {
    ({ tenantId } = await acceptInviteAsUser(
      token.data,
      { id: user.userId, email: user.email },
      await currentRequestMeta(),
    ));
  } catch (error) {
    return actionError(error);
  }
  redirect(`/t/${tenantId}`);
}

export const acceptInviteSignUpAction = signUpAction(
  acceptInviteSignUpSchema,
  ["name", "email"],
  acceptInviteWithSignUp,
);
