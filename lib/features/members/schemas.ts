import { z } from "zod";
import { personSchema, withStrongPassword } from "@/lib/platform/auth/schemas";
import { ROLES } from "@/lib/platform/request-context/permissions";
import { idSchema } from "@/lib/shared/ids";

const roleSchema = z.enum(ROLES, "Choose one of: owner, admin, operator, auditor.");

export const createInviteSchema = z.object({ role: roleSchema });

const membershipId = idSchema("membership", "Choose a member.");

export const changeRoleSchema = z.object({ membershipId, role: roleSchema });

export const membershipIdSchema = z.object({ membershipId });

export const inviteIdSchema = z.object({ inviteId: idSchema("invite", "Choose an invite.") });

export const inviteTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, "This invite link is not valid.");

export const acceptInviteSignUpSchema = withStrongPassword(
  personSchema.extend({ token: inviteTokenSchema }),
);
export const changeRoleBodySchema = z.object({ role: roleSchema });
