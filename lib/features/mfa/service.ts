import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { passkeys, recoveryCodes, userTotp } from "@/db/schema";
import { auditInTenants } from "@/lib/platform/auth/authenticate";
import { secondFactorsOf } from "@/lib/platform/auth/factors";
import {
  newTotpSecret,
  registerPasskey,
  replaceRecoveryCodes,
  totpStepOf,
  type RelyingParty,
} from "@/lib/platform/auth/second-factor";
import { AppError, notFound } from "@/lib/platform/errors/app-error";
import type { UserContext } from "@/lib/platform/request-context/user-action";
import { isId } from "@/lib/shared/ids";

// A member's own second factors: the authenticator app, passkeys and recovery codes. Every
// change is audited in each of the member's tenants, in the transaction that makes it.

const who = (ctx: UserContext) => ({ id: ctx.user.userId, email: ctx.user.email });

/** Recovery codes come with the first factor; a member who has some keeps them. */
async function firstRecoveryCodes(tx: Tx, userId: string): Promise<string[] | null> {
  const { recoveryCodesLeft } = await secondFactorsOf(tx, userId);
  return recoveryCodesLeft > 0 ? null : replaceRecoveryCodes(tx, userId);
}

/** Without a second factor, recovery codes have nothing to recover: they go with the last one. */
async function dropOrphanRecoveryCodes(tx: Tx, userId: string) {
  if (!(await secondFactorsOf(tx, userId)).any) {
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  }
}

/** Starts (or restarts) enrolling an authenticator app: a new secret, unconfirmed. */
export async function startTotpEnrolment(ctx: UserContext): Promise<void> {
  const { sealed } = newTotpSecret(ctx.user.userId);
  const rows = await getDb()
    .insert(userTotp)
    .values({ userId: ctx.user.userId, secretWrapped: sealed })
    .onConflictDoUpdate({
      target: userTotp.userId,
      set: { secretWrapped: sealed, lastUsedStep: null },
      // A confirmed authenticator is replaced only by removing it first (step-up).
      setWhere: isNull(userTotp.confirmedAt),
    })
    .returning({ userId: userTotp.userId });
  if (rows.length === 0) {
    throw new AppError("conflict", "An authenticator app is already turned on.");
  }
}

/**
 * Confirms the enrolment with a first code (which counts as used), and returns the recovery
 * codes made for a member who had none: the only time they are shown.
 */
export async function confirmTotp(ctx: UserContext, code: string): Promise<string[] | null> {
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(userTotp)
      .where(and(eq(userTotp.userId, ctx.user.userId), isNull(userTotp.confirmedAt)))
      .for("update");
    if (!row) throw new AppError("conflict", "Start setting up the authenticator app first.");
    const step = totpStepOf(ctx.user.userId, row.secretWrapped, code);
    if (step === null) {
      throw new AppError("invalid_input", "That code is not right. Check the app and try again.", {
        fieldErrors: { code: ["That code is not right."] },
      });
    }
    await tx
      .update(userTotp)
      .set({ confirmedAt: new Date(), lastUsedStep: step })
      .where(eq(userTotp.userId, ctx.user.userId));
    const codes = await firstRecoveryCodes(tx, ctx.user.userId);
    await auditInTenants(tx, who(ctx), "auth.mfa_enrolled", "succeeded", ctx.meta, {
      factor: "totp",
    });
    return codes;
  });
}

export async function removeTotp(ctx: UserContext): Promise<void> {
  await getDb().transaction(async (tx) => {
    const removed = await tx
      .delete(userTotp)
      .where(eq(userTotp.userId, ctx.user.userId))
      .returning({ confirmedAt: userTotp.confirmedAt });
    if (removed.length === 0) throw notFound("Authenticator app");
    await dropOrphanRecoveryCodes(tx, ctx.user.userId);
    if (removed[0]?.confirmedAt) {
      await auditInTenants(tx, who(ctx), "auth.mfa_removed", "succeeded", ctx.meta, {
        factor: "totp",
      });
    }
  });
}

/** New recovery codes (the old ones stop working), for a member with a second factor. */
export async function regenerateRecoveryCodes(ctx: UserContext): Promise<string[]> {
  return getDb().transaction(async (tx) => {
    if (!(await secondFactorsOf(tx, ctx.user.userId)).any) {
      throw new AppError("conflict", "Add a passkey or an authenticator app first.");
    }
    const codes = await replaceRecoveryCodes(tx, ctx.user.userId);
    await auditInTenants(tx, who(ctx), "auth.recovery_codes_generated", "succeeded", ctx.meta, {
      count: codes.length,
    });
    return codes;
  });
}

/** Stores a passkey the browser created; returns recovery codes when these are the first. */
export async function addPasskey(
  ctx: UserContext,
  input: { name: string; response: string },
  rp: RelyingParty,
): Promise<{ passkeyId: string; recoveryCodes: string[] | null }> {
  return getDb().transaction(async (tx) => {
    const added = await registerPasskey(tx, ctx.user.userId, input.name, input.response, rp);
    if (!added) {
      throw new AppError("invalid_input", "The passkey could not be added. Try again.");
    }
    const codes = await firstRecoveryCodes(tx, ctx.user.userId);
    await auditInTenants(tx, who(ctx), "auth.mfa_enrolled", "succeeded", ctx.meta, {
      factor: "passkey",
      factor_id: added.passkeyId,
      name: input.name,
    });
    return { passkeyId: added.passkeyId, recoveryCodes: codes };
  });
}

const ownPasskey = (ctx: UserContext, id: string) =>
  and(eq(passkeys.userId, ctx.user.userId), eq(passkeys.id, id));

export async function renamePasskey(ctx: UserContext, input: { passkeyId: string; name: string }) {
  if (!isId("passkey", input.passkeyId)) throw notFound("Passkey");
  const rows = await getDb()
    .update(passkeys)
    .set({ name: input.name })
    .where(ownPasskey(ctx, input.passkeyId))
    .returning({ id: passkeys.id });
  if (rows.length === 0) throw notFound("Passkey");
}

export async function removePasskey(ctx: UserContext, input: { passkeyId: string }) {
  await getDb().transaction(async (tx) => {
    const removed = await tx
      .delete(passkeys)
      .where(ownPasskey(ctx, input.passkeyId))
      .returning({ id: passkeys.id, name: passkeys.name });
    if (removed.length === 0) throw notFound("Passkey");
    await dropOrphanRecoveryCodes(tx, ctx.user.userId);
    await auditInTenants(tx, who(ctx), "auth.mfa_removed", "succeeded", ctx.meta, {
      factor: "passkey",
      factor_id: input.passkeyId,
      name: removed[0]?.name,
    });
  });
}
