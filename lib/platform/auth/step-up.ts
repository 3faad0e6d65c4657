import "server-only";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { users } from "@/db/schema";
import { env } from "@/lib/platform/config/env";
import type { StepUpMethods } from "@/lib/shared/action-state";
import { mustUseSso, secondFactorsOf } from "./factors";
import type { SessionUser } from "./sessions";

/** How long a proof (sign-in or step-up) opens sensitive actions. */
const stepUpWindowMs = () => env().STEP_UP_MINUTES * 60 * 1000;

function stepUpIsFresh(session: Pick<SessionUser, "stepUpAt">, now = new Date()) {
  return (
    session.stepUpAt !== null && now.getTime() - session.stepUpAt.getTime() <= stepUpWindowMs()
  );
}

/**
 * How this member can step up. A member with a second factor must use it (a password alone
 * would undo the point of having one); a member without one confirms with their password,
 * unless their domain requires single sign-on (a password that cannot sign in does not confirm
 * either). A member with no way at all (`enrolFirst`) signs in again with single sign-on: a
 * fresh sign-in counts as a proof for STEP_UP_MINUTES, long enough to add a second factor.
 */
export async function stepUpMethods(
  db: Pick<Tx, "select">,
  userId: string,
): Promise<StepUpMethods> {
  const factors = await secondFactorsOf(db, userId);
  const [user] = await db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  const password =
    !factors.any &&
    Boolean(user?.passwordHash) &&
    // As at sign-in (authenticate.ts): require_sso binds only while single sign-on is configured.
    !(user && env().OIDC_ISSUER && (await mustUseSso(db, { id: userId, email: user.email })));
  return {
    passkey: factors.passkeys > 0,
    totp: factors.totp,
    recoveryCode: factors.any && factors.recoveryCodesLeft > 0,
    password,
    enrolFirst: !factors.any && !password,
  };
}

/** Null when the session may act on sensitive things now; otherwise how to step up. */
export async function stepUpNeeded(
  db: Pick<Tx, "select">,
  session: Pick<SessionUser, "userId" | "stepUpAt">,
  now = new Date(),
): Promise<StepUpMethods | null> {
  return stepUpIsFresh(session, now) ? null : stepUpMethods(db, session.userId);
}
