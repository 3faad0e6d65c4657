import "server-only";
import { eq } from "drizzle-orm";
import type { Account, Profile, User } from "next-auth";
import type { Provider } from "next-auth/providers";
import { getDb, type Db, type Tx } from "@/db";
import { memberships, ssoDomainMappings, users } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { env } from "@/lib/platform/config/env";
import type { RequestMeta } from "@/lib/platform/http/request-meta";
import { logger } from "@/lib/platform/log/logger";
import { userActing } from "@/lib/platform/request-context/acting";
import { newId } from "@/lib/shared/ids";
import { auditInTenants } from "./authenticate";
import { emailDomain, secondFactorsOf } from "./factors";
import { createSession } from "./sessions";

export const SSO_REFUSED_PATH = "/sign-in?error=sso_refused";

/** The deployment's OIDC provider when OIDC_* is configured. */
export function oidcProviders(): Provider[] {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME } = env();
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) return [];
  return [
    {
      id: "oidc",
      name: OIDC_NAME,
      type: "oidc",
      issuer: OIDC_ISSUER,
      clientId: OIDC_CLIENT_ID,
      clientSecret: OIDC_CLIENT_SECRET,
      checks: ["pkce", "state", "nonce"],
      authorization: { params: { scope: "openid email profile" } },
      // Claims asked for by scope come from the UserInfo endpoint (OIDC Core §5.4); many
      // issuers leave e-mail out of the ID token of the code flow. The ID token is still
      // validated (signature, audience, nonce) before UserInfo is asked.
      idToken: false,
    },
  ];
}

type SignIn = { user: User; account: Account; profile?: Profile | undefined };

/** A verified e-mail from the issuer's claims, lower-cased, or the reason there is none. */
function verifiedEmail(profile: Profile | undefined): { email: string } | { reason: string } {
  const email = typeof profile?.email === "string" ? profile.email.trim().toLowerCase() : "";
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) return { reason: "no_email" };
  // Only a boolean true: an issuer that does not vouch for the address does not open accounts.
  if (profile?.email_verified !== true) return { reason: "email_unverified" };
  return { email };
}

/** The name the issuer gives, one line and bounded; the e-mail's local part otherwise. */
function displayName(profile: Profile | undefined, email: string): string {
  const raw = typeof profile?.name === "string" ? profile.name : "";
  // Control and text-direction characters out: the name is shown in the console.
  const clean = raw
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 100);
  return clean || email.slice(0, email.lastIndexOf("@")).slice(0, 100);
}

/**
 * Auth.js signIn callback for an OIDC sign-in: maps the verified e-mail's domain to tenants
 * and roles (owners' mappings), creates the user and memberships just in time, opens a PQSeal
 * session and sets `user.sid`. Returns true, or the sign-in page with an error to refuse.
 * An existing membership's role is never changed: owners manage roles in the console.
 * The session waits for the member's second factor when they have one (the sign-in action
 * sends the browser through SECOND_FACTOR_PATH, which forwards a complete session at once).
 */
export async function completeSsoSignIn(
  { user, profile }: SignIn,
  meta: RequestMeta,
  db: Db = getDb(),
): Promise<true | string> {
  const issuer = env().OIDC_ISSUER;
  if (!issuer) return SSO_REFUSED_PATH;
  const checked = verifiedEmail(profile);
  if ("reason" in checked) {
    await refuse(db, profile, checked.reason, meta, issuer);
    return SSO_REFUSED_PATH;
  }
  const { email } = checked;
  const domain = emailDomain(email);

  const result = await db.transaction(async (tx) => {
    const mappings = await tx
      .select()
      .from(ssoDomainMappings)
      .where(eq(ssoDomainMappings.domain, domain));
    const [found] = await tx
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(eq(users.email, email));
    const held = found
      ? await tx
          .select({ tenantId: memberships.tenantId })
          .from(memberships)
          .where(eq(memberships.userId, found.id))
      : [];
    if (mappings.length === 0 && held.length === 0) return null;

    const member = found ?? (await createSsoUser(tx, email, displayName(profile, email)));
    const heldTenants = new Set(held.map((m) => m.tenantId));
    for (const mapping of mappings.filter((m) => !heldTenants.has(m.tenantId))) {
      await joinTenant(tx, member, mapping, issuer, meta);
    }
    // The issuer proves the e-mail, not the member's own second factor: a member who enrolled
    // one is asked for it (/sign-in/verify), as after a password.
    const pending = (await secondFactorsOf(tx, member.id)).any;
    const sessionId = await createSession(tx, member.id, {
      method: "sso",
      ssoIssuer: issuer,
      pendingSecondFactor: pending,
      meta,
    });
    await auditInTenants(tx, member, "auth.sso_sign_in", "succeeded", meta, {
      issuer,
      session_id: sessionId,
      second_factor: pending ? "pending" : "none",
    });
    return { member, sessionId };
  });

  if (!result) {
    // No tenant to record the refusal in: the log keeps the domain (not the address).
    logger().warn({ domain, issuer }, "single sign-on refused: domain not mapped");
    return SSO_REFUSED_PATH;
  }
  user.id = result.member.id;
  user.email = result.member.email;
  user.name = result.member.name;
  user.sid = result.sessionId;
  return true;
}

/** A member who joins through single sign-on has no password (users.password_hash null). */
async function createSsoUser(tx: Tx, email: string, name: string) {
  // A concurrent first sign-in of the same address may have created the user meanwhile.
  await tx
    .insert(users)
    .values({ id: newId("user"), email, name, passwordHash: null })
    .onConflictDoNothing({ target: users.email });
  const [row] = await tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.email, email));
  if (!row) throw new Error("single sign-on user vanished after insert");
  return row;
}

/** Just in time: the mapping's role in the mapping's tenant, recorded there as a join. */
async function joinTenant(
  tx: Tx,
  member: { id: string; email: string },
  mapping: { id: string; tenantId: string; role: (typeof memberships.$inferInsert)["role"] },
  issuer: string,
  meta: RequestMeta,
) {
  const id = newId("membership");
  const [inserted] = await tx
    .insert(memberships)
    .values({ id, tenantId: mapping.tenantId, userId: member.id, role: mapping.role })
    .onConflictDoNothing({ target: [memberships.tenantId, memberships.userId] })
    .returning({ id: memberships.id });
  if (!inserted) return;
  await recordAudit(tx, userActing(mapping.tenantId, member, meta), {
    action: "member.joined",
    outcome: "succeeded",
    target: { type: "membership", id },
    details: { role: mapping.role, via: "sso", mapping_id: mapping.id, issuer },
  });
}

/**
 * A refused sign-in of an address PQSeal knows is audited in that member's tenants; an unknown
 * one has no tenant, so only the log keeps its domain.
 */
async function refuse(
  db: Db,
  profile: Profile | undefined,
  reason: string,
  meta: RequestMeta,
  issuer: string,
) {
  const email = typeof profile?.email === "string" ? profile.email.trim().toLowerCase() : "";
  const [known] = email
    ? await db
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(eq(users.email, email))
    : [];
  if (known) {
    await db.transaction((tx) =>
      auditInTenants(tx, known, "auth.sso_refused", "denied", meta, { issuer, reason }),
    );
  }
  logger().warn(
    { domain: email ? emailDomain(email) : null, issuer, reason },
    "single sign-on refused",
  );
}
