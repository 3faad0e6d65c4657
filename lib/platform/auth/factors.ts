import "server-only";
import { and, count, eq, isNotNull, isNull } from "drizzle-orm";
import type { Tx } from "@/db";
import { memberships, passkeys, recoveryCodes, ssoDomainMappings, userTotp } from "@/db/schema";

type Reader = Pick<Tx, "select">;

export interface SecondFactors {
  /** A confirmed authenticator app (TOTP). */
  totp: boolean;
  passkeys: number;
  recoveryCodesLeft: number;
  /** At least one second factor: sign-in asks for it, step-up uses it. */
  any: boolean;
}

/** The second factors a user has enrolled. */
export async function secondFactorsOf(db: Reader, userId: string): Promise<SecondFactors> {
  const [[totp], [keys], [codes]] = await Promise.all([
    db
      .select({ n: count() })
      .from(userTotp)
      .where(and(eq(userTotp.userId, userId), isNotNull(userTotp.confirmedAt))),
    db.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, userId)),
    db
      .select({ n: count() })
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt))),
  ]);
  const hasTotp = (totp?.n ?? 0) > 0;
  const passkeyCount = keys?.n ?? 0;
  return {
    totp: hasTotp,
    passkeys: passkeyCount,
    recoveryCodesLeft: codes?.n ?? 0,
    any: hasTotp || passkeyCount > 0,
  };
}

/** The e-mail's domain, lower-case ("" when there is none). */
export const emailDomain = (email: string) => email.slice(email.lastIndexOf("@") + 1).toLowerCase();

/**
 * True when one of the user's tenants maps their e-mail domain to single sign-on with
 * `require_sso`: such a member cannot sign in with a password.
 */
export async function mustUseSso(db: Reader, user: { id: string; email: string }) {
  const [row] = await db
    .select({ id: ssoDomainMappings.id })
    .from(ssoDomainMappings)
    .innerJoin(memberships, eq(memberships.tenantId, ssoDomainMappings.tenantId))
    .where(
      and(
        eq(memberships.userId, user.id),
        eq(ssoDomainMappings.domain, emailDomain(user.email)),
        eq(ssoDomainMappings.requireSso, true),
      ),
    )
    .limit(1);
  return Boolean(row);
}
