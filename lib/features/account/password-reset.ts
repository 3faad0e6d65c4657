import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { auditInTenants } from "@/lib/platform/auth/authenticate";
import { hashPassword } from "@/lib/platform/auth/password";
import { passwordProblem } from "@/lib/platform/auth/password-policy";
import {
  consumePasswordReset,
  findUsableReset,
  issuePasswordReset,
  RESET_PATH,
  RESET_TTL_MS,
  resetLinkInvalid,
  selfRequestedSince,
  voidOpenResets,
} from "@/lib/platform/auth/password-reset";
import { revokeUserSessions } from "@/lib/platform/auth/sessions";
import { clearFailures, throttleKey } from "@/lib/platform/auth/sign-in-throttle";
import { AppError } from "@/lib/platform/errors/app-error";
import type { RequestMeta } from "@/lib/platform/http/request-meta";
import { logger } from "@/lib/platform/log/logger";
import { sendMail } from "@/lib/platform/mail/mailer";

/** The one answer to "Forgot your password?", whether or not the account exists. */
export const FORGOT_PASSWORD_ANSWER =
  "If an account exists for that e-mail, a reset link is on its way.";

/** Links a person may ask for per hour; more are silently not sent (the answer is the same). */
export const SELF_RESETS_PER_HOUR = 3;

/**
 * "Forgot your password?": e-mails a reset link to the account with this e-mail, if there is
 * one that signs in with a password. Whatever happens (no such account, single sign-on only,
 * too many requests, SMTP down) the caller learns nothing: nothing is returned or thrown, and
 * only log lines without the address or link say what happened.
 */
export async function requestPasswordReset(
  input: { email: string },
  origin: string,
  meta: RequestMeta,
): Promise<void> {
  const db = getDb();
  const issued = await db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, email: users.email, name: users.name, hash: users.passwordHash })
      .from(users)
      .where(eq(users.email, input.email))
      // Serialises concurrent requests for one account, so the hourly limit holds.
      .for("update");
    if (!user?.hash) return null;
    const since = new Date(Date.now() - RESET_TTL_MS);
    if ((await selfRequestedSince(tx, user.id, since)) >= SELF_RESETS_PER_HOUR) {
      logger().info({ userId: user.id }, "password reset request over the hourly limit");
      return null;
    }
    const reset = await issuePasswordReset(tx, user.id, null);
    await auditInTenants(tx, user, "auth.password_reset_requested", "succeeded", meta, {
      reset_id: reset.id,
      by: "self",
      expires_at: reset.expiresAt.toISOString(),
    });
    return { user, reset };
  });
  if (!issued) return;
  try {
    await sendMail({
      to: issued.user.email,
      subject: "Reset your PQSeal password",
      text: resetMailText(issued.user.name, resetLink(origin, issued.reset.token)),
    });
  } catch (error) {
    // The error of a failed SMTP conversation does not carry the message body.
    logger().error({ err: error, resetId: issued.reset.id }, "password reset mail not sent");
  }
}

function resetLink(origin: string, token: string): string {
  return `${origin.replace(/\/+$/, "")}${RESET_PATH}/${token}`;
}

function resetMailText(name: string, link: string): string {
  return [
    `Hello ${name},`,
    "",
    "someone (hopefully you) asked to reset the password of your PQSeal account.",
    "Open this link within one hour to choose a new password; it works once:",
    "",
    link,
    "",
    "Setting a new password signs you out everywhere.",
    "If you did not ask for this, ignore this mail: your password stays as it is.",
  ].join("\n");
}

/**
 * Sets a new password through a reset link: the link is used up (one conditional update, so
 * of two concurrent uses one wins), so is every other open link of the member, every session
 * of the member ends, and the sign-in lockout is lifted (a locked-out member is who needs a reset most).
 */
export async function resetPassword(
  input: { token: string; password: string },
  meta: RequestMeta,
): Promise<void> {
  const db = getDb();
  const found = await findUsableReset(db, input.token);
  if (!found) throw resetLinkInvalid();
  const problem = passwordProblem(input.password, found);
  if (problem) {
    throw new AppError("weak_password", problem, { fieldErrors: { password: [problem] } });
  }
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    // The account first, then its links (as changePassword does): two of its links used at
    // once queue here rather than each holding its own link and waiting for the other's.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, found.userId)).for("update");
    const now = new Date();
    const reset = await consumePasswordReset(tx, input.token, now);
    if (!reset) throw resetLinkInvalid();
    const [user] = await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: now })
      .where(eq(users.id, reset.userId))
      .returning({ id: users.id, email: users.email });
    if (!user) throw resetLinkInvalid();
    // The other links mailed or issued before this one stop working with the new password.
    await voidOpenResets(tx, user.id, now);
    const ended = await revokeUserSessions(tx, user.id, {}, now);
    await clearFailures(tx, throttleKey(user.email));
    await auditInTenants(tx, user, "auth.password_reset", "succeeded", meta, {
      reset_id: reset.id,
      issued_by: reset.issuedBy ?? "self",
      sessions_ended: ended,
    });
  });
}
