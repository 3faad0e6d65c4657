import { z } from "zod";
import { idSchema } from "@/lib/shared/ids";
import { labelSchema } from "@/lib/shared/label";

/** Six digits from an authenticator app; spaces (as some apps show them) are ignored. */
const totpCode = z
  .string()
  .transform((v) => v.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your app."));

/** A recovery code as printed (xxxx-xxxx-xxxx-xxxx); case, spaces and dashes do not matter. */
const recoveryCode = z
  .string()
  .trim()
  .min(16, "Enter one of your recovery codes.")
  .max(40, "Enter one of your recovery codes.");

/** The browser's WebAuthn answer, as JSON text (checked in detail by lib/platform/auth/webauthn.ts). */
const webauthnResponse = z.string().min(2, "The passkey did not answer.").max(64_000);

export const confirmTotpSchema = z.object({ code: totpCode });

const passkeyName = labelSchema("Give the passkey a name.", 60);
const passkeyId = idSchema("passkey", "Choose a passkey.");

export const registerPasskeySchema = z.object({ name: passkeyName, response: webauthnResponse });
export const renamePasskeySchema = z.object({ passkeyId, name: passkeyName });
export const passkeyIdSchema = z.object({ passkeyId });
export const emptySchema = z.object({});

/** A proof of identity: the second step of sign-in (no password) and step-up. */
export const proofSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("totp"), code: totpCode }),
  z.object({ method: z.literal("recovery_code"), code: recoveryCode }),
  z.object({ method: z.literal("passkey"), response: webauthnResponse }),
  z.object({
    method: z.literal("password"),
    password: z.string().min(1, "Enter your password.").max(1024),
  }),
]);
export type Proof = z.output<typeof proofSchema>;
