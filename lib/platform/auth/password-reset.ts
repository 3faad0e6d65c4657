import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, count, eq, gt, isNull } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { passwordResets, users } from "@/db/schema";
import { AppError } from "@/lib/platform/errors/app-error";
import { newId } from "@/lib/shared/ids";

// A reset link works once, for one hour. The token (32 random bytes) is e-mailed or shown
// once; only its SHA-256 is stored, so a database reader cannot use an open link.
export const RESET_TTL_MS = 60 * 60 * 1000;

export const RESET_PATH = "/reset-password";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export const resetLinkInvalid = () =>
  new AppError("reset_link_invalid", "This reset link is invalid, expired or already used.", {
    remediation: "Ask for a new link on the sign-in page, or ask an owner or admin.",
  });

/** Stores a new reset for `userId` (issued by an owner or admin, or null: the user asked). */
export async function issuePasswordReset(
  tx: Pick<Tx, "insert">,
  userId: string,
  issuedBy: string | null,
  now = new Date(),
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const id = newId("passwordReset");
  const expiresAt = new Date(now.getTime() + RESET_TTL_MS);
  await tx
    .insert(passwordResets)
    .values({ id, userId, tokenHash: hashToken(token), issuedBy, expiresAt, createdAt: now });
  return { id, token, expiresAt };
}

/** The user a usable (unused, unexpired) link belongs to, without using it; or null. */
export async function findUsableReset(db: Db, token: string, now = new Date()) {
  const [row] = await db
    .select({ id: passwordResets.id, userId: users.id, email: users.email, name: users.name })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(
      and(
        eq(passwordResets.tokenHash, hashToken(token)),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, now),
      ),
    );
  return row ?? null;
}

/**
 * Marks the link used and returns whose it is, or null when it is not usable. One conditional
 * update: of two concurrent uses, exactly one gets the row.
 */
export async function consumePasswordReset(
  tx: Pick<Tx, "update">,
  token: string,
  now = new Date(),
): Promise<{ id: string; userId: string; issuedBy: string | null } | null> {
  const [row] = await tx
    .update(passwordResets)
    .set({ usedAt: now })
    .where(
      and(
        eq(passwordResets.tokenHash, hashToken(token)),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, now),
      ),
    )
    .returning({
      id: passwordResets.id,
      userId: passwordResets.userId,
      issuedBy: passwordResets.issuedBy,
    });
  return row ?? null;
}

/** How many links the user asked for (not issued by an owner) since `since`. */
export async function selfRequestedSince(
  tx: Pick<Tx, "select">,
  userId: string,
  since: Date,
): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(passwordResets)
    .where(
      and(
        eq(passwordResets.userId, userId),
        isNull(passwordResets.issuedBy),
        gt(passwordResets.createdAt, since),
      ),
    );
  return row?.n ?? 0;
}

/**
 * Marks every still-unused link of the user used, so a new password (set through one link, or
 * changed by the user) leaves no other link open; returns how many. Call it in the transaction
 * that sets the password.
 */
export async function voidOpenResets(
  tx: Pick<Tx, "update">,
  userId: string,
  now = new Date(),
): Promise<number> {
  const rows = await tx
    .update(passwordResets)
    .set({ usedAt: now })
    .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)))
    .returning({ id: passwordResets.id });
  return rows.length;
}
