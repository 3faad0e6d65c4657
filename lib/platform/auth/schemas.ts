import { z } from "zod";
import { labelSchema } from "@/lib/shared/label";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from "./password-policy";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "E-mail is too long.")
  .pipe(z.email("Enter a valid e-mail address."));

export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters.`);

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

/**
 * Refuses a guessable new password (password-policy.ts), knowing the person's e-mail and name.
 * Applied to the whole form, after any `.extend()` (zod does not extend refined objects).
 */
export function withStrongPassword<
  S extends z.ZodType<{ password: string; email?: string; name?: string }>,
>(schema: S): S {
  return schema.superRefine((value, ctx) => {
    // Length problems are the field's own (newPasswordSchema); this adds only the guessability.
    const { password } = value;
    if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) return;
    const problem = passwordProblem(password, value);
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });
}
