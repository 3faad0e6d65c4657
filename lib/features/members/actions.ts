"use server";
import { signUpAction } from "@/lib/platform/request-context/sign-up-action";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { currentRequestMeta } from "@/lib/platform/http/request-meta";
import { currentUser } from "@/lib/platform/auth/current-user";
import { acceptInviteAsUser, acceptInviteWithSignUp, createInvite, revokeInvite } from "./invites";
import { changeRole, removeMember } from "./service";
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
