import { z } from "zod";
import { labelSchema } from "@/lib/shared/label";

const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "E-mail is too long.")
  .pipe(z.email("Enter a valid e-mail address."));

const newPasswordSchema = z
  .string()
  .min(12, "Use at least 12 characters.")
  .max(200, "Use at most 200 characters.");

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(200),
  callbackUrl: z.string().optional(),
});

export const personSchema = z.object({
  name: labelSchema("Enter your name.", 100),
  email: emailSchema,
  password: newPasswordSchema,
});
