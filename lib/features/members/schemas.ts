import { z } from "zod";
import { personSchema } from "@/lib/platform/auth/schemas";
import { ROLES } from "@/lib/platform/request-context/permissions";

const roleSchema = z.enum(ROLES, "Choose one of: owner, admin, operator, auditor.");

export const createInviteSchema = z.object({ role: roleSchema });

export const changeRoleSchema = z.object({
  membershipId: z.string().min(1).max(64),
  role: roleSchema,
});

export const membershipIdSchema = z.object({ membershipId: z.string().min(1).max(64) });

export const inviteIdSchema = z.object({ inviteId: z.string().min(1).max(64) });

export const inviteTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, "This invite link is not valid.");

export const acceptInviteSignUpSchema = personSchema.extend({ token: inviteTokenSchema });
export const changeRoleBodySchema = z.object({ role: roleSchema });
