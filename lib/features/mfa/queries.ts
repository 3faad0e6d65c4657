import "server-only";
import { desc, eq } from "drizzle-orm";
import QRCode from "qrcode";
import { getDb } from "@/db";
import { passkeys, userTotp } from "@/db/schema";
import { secondFactorsOf } from "@/lib/platform/auth/factors";
import { totpSetupOf } from "@/lib/platform/auth/second-factor";
import type { SessionUser } from "@/lib/platform/auth/sessions";

interface TotpSetup {
  /** Base32, for typing into an app that cannot scan. */
  secret: string;
  /** The otpauth:// URI as a PNG data: URL (the CSP allows data: images). */
  qrCode: string;
}

interface SecurityOverview {
  totp: "off" | "pending" | "on";
  /** While an enrolment waits for its first code: what the app needs. */
  totpSetup: TotpSetup | null;
  passkeys: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }[];
  recoveryCodesLeft: number;
}

/** The member's second factors as the security page shows them. */
export async function securityOverview(
  user: Pick<SessionUser, "userId" | "email">,
): Promise<SecurityOverview> {
  const db = getDb();
  const [[totp], keys, factors] = await Promise.all([
    db.select().from(userTotp).where(eq(userTotp.userId, user.userId)),
    db
      .select({
        id: passkeys.id,
        name: passkeys.name,
        createdAt: passkeys.createdAt,
        lastUsedAt: passkeys.lastUsedAt,
      })
      .from(passkeys)
      .where(eq(passkeys.userId, user.userId))
      .orderBy(desc(passkeys.createdAt)),
    secondFactorsOf(db, user.userId),
  ]);
  let totpSetup: TotpSetup | null = null;
  if (totp && !totp.confirmedAt) {
    const { base32, uri } = totpSetupOf(user.userId, totp.secretWrapped, user.email);
    totpSetup = { secret: base32, qrCode: await QRCode.toDataURL(uri, { margin: 1, width: 200 }) };
  }
  return {
    totp: !totp ? "off" : totp.confirmedAt ? "on" : "pending",
    totpSetup,
    passkeys: keys,
    recoveryCodesLeft: factors.any ? factors.recoveryCodesLeft : 0,
  };
}

/** Which second factors the second step of sign-in offers this member. */
export const factorsForSignIn = (userId: string) => secondFactorsOf(getDb(), userId);
