import { z } from "zod";
import { emailSchema, newPasswordSchema } from "@/lib/platform/auth/schemas";
import { idSchema } from "@/lib/shared/ids";

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(200),
  newPassword: newPasswordSchema,
});

export const forgotPasswordSchema = z.object({ email: emailSchema });

export const resetTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, "This reset link is not valid.");

export const resetPasswordSchema = z
  .object({
    token: resetTokenSchema,
    password: newPasswordSchema,
    confirmPassword: z.string().max(200),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two passwords differ.",
  });

export const sessionIdSchema = z.object({ sessionId: idSchema("session", "Choose a session.") });
