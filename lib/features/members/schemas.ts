import { z } from "zod";
import { personSchema } from "@/lib/features/auth/schemas";
import { ROLES } from "@/lib/platform/request-context/permissions";

export const roleSchema = z.enum(ROLES, "Choose one of: owner, admin, operator, auditor.");

export const tenantNameSchema = z.string().trim().min(2, "Use at least 2 characters.").max(80);

export const setupSchema = personSchema.extend({ tenantName: tenantNameSchema });

export const createTenantSchema = z.object({ tenantName: tenantNameSchema });

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

export const retentionSchema = z.object({
  auditRetentionDays: z.coerce
    .number("Enter a number of days.")
    .int()
    .min(30, "Keep audit events at least 30 days.")
    .max(3650, "At most 3650 days (10 years)."),
});
