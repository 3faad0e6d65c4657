import { eq } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { passkeys, recoveryCodes, userTotp, webauthnChallenges } from "@/db/schema";
import { createTestUser } from "@/test/factories";
import { assert, createCredential } from "@/test/webauthn-authenticator";
import {
  newTotpSecret,
  passkeyRegistrationOptions,
  passkeyRequestOptions,
  registerPasskey,
  replaceRecoveryCodes,
  totpSetupOf,
  useRecoveryCode as spendRecoveryCode,
  verifyPasskey,
  verifyTotp,
  type RelyingParty,
} from "./second-factor";

const RP: RelyingParty = { rpID: "localhost", origin: "http://localhost:3000" };

async function enrolTotp(userId: string, { confirmed = true } = {}) {
  const { sealed, base32 } = newTotpSecret(userId);
  await getDb()
    .insert(userTotp)
    .values({ userId, secretWrapped: sealed, confirmedAt: confirmed ? new Date() : null });
  const totp = new TOTP({ secret: Secret.fromBase32(base32), digits: 6, period: 30 });
  return { base32, sealed, codeAt: (ms: number) => totp.generate({ timestamp: ms }) };
}

describe("TOTP (RFC 6238)", () => {
  it("accepts a current code once; the same code again is a replay", async () => {
    const user = await createTestUser("totp");
    const app = await enrolTotp(user.id);
    const now = Date.now();
    expect(await verifyTotp(getDb(), user.id, app.codeAt(now), now)).toBe(true);
    expect(await verifyTotp(getDb(), user.id, app.codeAt(now), now)).toBe(false);
    // A code of the next step is still fine; the step before it, used later, is not.
    expect(await verifyTotp(getDb(), user.id, app.codeAt(now + 30_000), now + 30_000)).toBe(true);
    expect(await verifyTotp(getDb(), user.id, app.codeAt(now), now + 30_000)).toBe(false);
  });

  it("accepts one step of clock drift and refuses codes further off", async () => {
    const user = await createTestUser("totp-window");
    const app = await enrolTotp(user.id);
    const now = Date.now();
    expect(await verifyTotp(getDb(), user.id, app.codeAt(now - 5 * 60_000), now)).toBe(false);
    expect(await verifyTotp(getDb(), user.id, app.codeAt(now + 5 * 60_000), now)).toBe(false);
    expect(await verifyTotp(getDb(), user.id, app.codeAt(now - 30_000), now)).toBe(true);
  });

  it("refuses codes for an unconfirmed enrolment, another user's codes and non-codes", async () => {
    const user = await createTestUser("totp-pending");
    const other = await createTestUser("totp-other");
    const pending = await enrolTotp(user.id, { confirmed: false });
    const otherApp = await enrolTotp(other.id);
    const now = Date.now();
    expect(await verifyTotp(getDb(), user.id, pending.codeAt(now), now)).toBe(false);
    expect(await verifyTotp(getDb(), other.id, pending.codeAt(now), now)).toBe(false);
    for (const junk of ["", "12345", "1234567", "abcdef", " ", "１２３４５６"]) {
      expect(await verifyTotp(getDb(), other.id, junk, now)).toBe(false);
    }
    expect(await verifyTotp(getDb(), other.id, otherApp.codeAt(now), now)).toBe(true);
  });

  it("never stores the secret in clear, and binds it to its user", async () => {
    const user = await createTestUser("totp-sealed");
    const other = await createTestUser("totp-sealed-2");
    const app = await enrolTotp(user.id);
    const [row] = await getDb().select().from(userTotp).where(eq(userTotp.userId, user.id));
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(app.base32);
    expect(stored).not.toContain(
      Buffer.from(Secret.fromBase32(app.base32).bytes).toString("base64"),
    );
    expect(totpSetupOf(user.id, app.sealed, user.email).base32).toBe(app.base32);
    // Wrapped for this user: unwrapping it as another user fails.
    expect(() => totpSetupOf(other.id, app.sealed, other.email)).toThrow();
  });
});

describe("recovery codes", () => {
  it("each code works once; new codes replace the old", async () => {
    const user = await createTestUser("rcv");
    const other = await createTestUser("rcv-other");
    const codes = await replaceRecoveryCodes(getDb(), user.id);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const [first = "", second = ""] = codes;
    expect(first).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
    expect(await spendRecoveryCode(getDb(), other.id, first)).toBe(false);
    // Case, spaces and dashes do not matter.
    expect(
      await spendRecoveryCode(getDb(), user.id, ` ${first.toUpperCase().replace(/-/g, " ")} `),
    ).toBe(true);
    expect(await spendRecoveryCode(getDb(), user.id, first)).toBe(false);
    const rows = await getDb()
      .select()
      .from(recoveryCodes)
      .where(eq(recoveryCodes.userId, user.id));
    expect(JSON.stringify(rows)).not.toContain(second);
    await replaceRecoveryCodes(getDb(), user.id);
    expect(await spendRecoveryCode(getDb(), user.id, second)).toBe(false);
  });

  it("spends a code once even when two requests race", async () => {
    const user = await createTestUser("rcv-race");
    const [code = ""] = await replaceRecoveryCodes(getDb(), user.id);
    const results = await Promise.all([
      spendRecoveryCode(getDb(), user.id, code),
      spendRecoveryCode(getDb(), user.id, code),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

/** A user with a registered software passkey. */
async function withPasskey(label: string) {
  const user = await createTestUser(label);
  const options = await passkeyRegistrationOptions(getDb(), user, RP);
  expect(options.authenticatorSelection?.residentKey).toBe("required");
  const { passkey, response } = createCredential(options, RP.origin);
  const added = await registerPasskey(getDb(), user.id, "Laptop", response, RP);
  expect(added).not.toBeNull();
  return { user, passkey, passkeyId: added?.passkeyId ?? "" };
}

describe("passkeys (WebAuthn)", () => {
  it("registers a passkey once per challenge", async () => {
    const user = await createTestUser("pk-reg");
    const options = await passkeyRegistrationOptions(getDb(), user, RP);
    const first = createCredential(options, RP.origin);
    expect(await registerPasskey(getDb(), user.id, "A", first.response, RP)).not.toBeNull();
    const second = createCredential(options, RP.origin);
    expect(await registerPasskey(getDb(), user.id, "B", second.response, RP)).toBeNull();
    const rows = await getDb().select().from(passkeys).where(eq(passkeys.userId, user.id));
    expect(rows.map((r) => r.name)).toEqual(["A"]);
  });

  it("refuses a registration from another origin or for another user's challenge", async () => {
    const user = await createTestUser("pk-reg-bad");
    const other = await createTestUser("pk-reg-other");
    const options = await passkeyRegistrationOptions(getDb(), user, RP);
    const evil = createCredential(options, "http://evil.localhost:3000");
    expect(await registerPasskey(getDb(), user.id, "A", evil.response, RP)).toBeNull();
    const options2 = await passkeyRegistrationOptions(getDb(), user, RP);
    const good = createCredential(options2, RP.origin);
    expect(await registerPasskey(getDb(), other.id, "A", good.response, RP)).toBeNull();
  });

  it("verifies an assertion for a named user; the challenge is single-use", async () => {
    const { user, passkey, passkeyId } = await withPasskey("pk");
    const options = await passkeyRequestOptions(
      getDb(),
      { userId: user.id, purpose: "step_up" },
      RP,
    );
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([
      passkey.credentialId.toString("base64url"),
    ]);
    const response = assert(passkey, options, RP.origin);
    const input = { userId: user.id, purpose: "step_up" as const, response };
    expect(await verifyPasskey(getDb(), input, RP)).toEqual({ userId: user.id, passkeyId });
    // The same assertion again: its challenge is gone.
    expect(await verifyPasskey(getDb(), input, RP)).toBeNull();
    const [row] = await getDb().select().from(passkeys).where(eq(passkeys.id, passkeyId));
    expect(row?.counter).toBe(1);
    expect(row?.lastUsedAt).not.toBeNull();
  });

  it("consumes the challenge even when the assertion fails", async () => {
    const { user, passkey } = await withPasskey("pk-fail");
    const options = await passkeyRequestOptions(
      getDb(),
      { userId: user.id, purpose: "second_factor" },
      RP,
    );
    const bad = assert(passkey, options, "http://evil.localhost");
    expect(
      await verifyPasskey(
        getDb(),
        { userId: user.id, purpose: "second_factor", response: bad },
        RP,
      ),
    ).toBeNull();
    const good = assert(passkey, options, RP.origin);
    expect(
      await verifyPasskey(
        getDb(),
        { userId: user.id, purpose: "second_factor", response: good },
        RP,
      ),
    ).toBeNull();
    const left = await getDb()
      .select()
      .from(webauthnChallenges)
      .where(eq(webauthnChallenges.challenge, options.challenge));
    expect(left).toHaveLength(0);
  });

  it("refuses another user's passkey and a challenge issued for another purpose", async () => {
    const a = await withPasskey("pk-a");
    const b = await withPasskey("pk-b");
    const options = await passkeyRequestOptions(
      getDb(),
      { userId: a.user.id, purpose: "step_up" },
      RP,
    );
    // B signs A's challenge with B's passkey.
    const response = assert(b.passkey, options, RP.origin);
    expect(
      await verifyPasskey(getDb(), { userId: a.user.id, purpose: "step_up", response }, RP),
    ).toBeNull();
    const options2 = await passkeyRequestOptions(
      getDb(),
      { userId: a.user.id, purpose: "step_up" },
      RP,
    );
    const asSignIn = assert(a.passkey, options2, RP.origin);
    expect(
      await verifyPasskey(
        getDb(),
        { userId: a.user.id, purpose: "second_factor", response: asSignIn },
        RP,
      ),
    ).toBeNull();
  });

  it("refuses a signature counter that goes backwards (a cloned authenticator)", async () => {
    const { user, passkey } = await withPasskey("pk-clone");
    const verify = async (counter: number) => {
      const options = await passkeyRequestOptions(
        getDb(),
        { userId: user.id, purpose: "step_up" },
        RP,
      );
      const response = assert(passkey, options, RP.origin, { counter });
      return verifyPasskey(getDb(), { userId: user.id, purpose: "step_up", response }, RP);
    };
    expect(await verify(5)).not.toBeNull();
    expect(await verify(3)).toBeNull();
    expect(await verify(5)).toBeNull();
    expect(await verify(6)).not.toBeNull();
  });

  it("signs in without a user (discoverable) only with user verification", async () => {
    const { user, passkey, passkeyId } = await withPasskey("pk-discover");
    const options = await passkeyRequestOptions(getDb(), { userId: null, purpose: "sign_in" }, RP);
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe("required");
    const noUv = assert(passkey, options, RP.origin, { userVerified: false });
    expect(
      await verifyPasskey(getDb(), { userId: null, purpose: "sign_in", response: noUv }, RP),
    ).toBeNull();
    const options2 = await passkeyRequestOptions(getDb(), { userId: null, purpose: "sign_in" }, RP);
    const response = JSON.stringify(assert(passkey, options2, RP.origin));
    expect(
      await verifyPasskey(getDb(), { userId: null, purpose: "sign_in", response }, RP),
    ).toEqual({
      userId: user.id,
      passkeyId,
    });
  });

  it("refuses garbage without throwing", async () => {
    for (const response of [
      null,
      "",
      "{",
      "[]",
      42,
      { id: "x" },
      JSON.stringify({ type: "public-key" }),
    ]) {
      expect(
        await verifyPasskey(getDb(), { userId: null, purpose: "sign_in", response }, RP),
      ).toBeNull();
      expect(
        await registerPasskey(getDb(), (await createTestUser("junk")).id, "x", response, RP),
      ).toBeNull();
    }
  });
});
