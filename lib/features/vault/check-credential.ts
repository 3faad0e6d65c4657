import "server-only";
import { AppError } from "@/lib/platform/errors/app-error";
import { limitRefusal, tryTakeToken } from "@/lib/platform/limits/buckets";
import type { CredentialType } from "./schemas";
import { twilioClientFor, type TwilioCredential } from "./twilio-client";
import { isUpstreamFailure, mapTwilioError } from "./twilio-errors";

/**
 * Tries a credential before it is stored (sealing, rotation) or on request ("Check again").
 * Resolves when Twilio accepted it; throws an AppError saying what to fix otherwise.
 */
export type CredentialCheck = (credential: TwilioCredential, tenantId: string) => Promise<void>;

/**
 * Checks per tenant: 20 at once, then one every 3 minutes (20 an hour). Enough for any admin;
 * too few to use PQSeal as an oracle for lists of leaked Twilio credentials (a refused check
 * writes nothing, so the bucket is what bounds it).
 */
const CHECK_BURST = 20;
const CHECKS_PER_SECOND = 20 / 3600;

/** Only the credentials that authenticate to Twilio's REST API are checked. */
export const isTwilioCredential = (credential: {
  type: CredentialType;
  values: unknown;
}): credential is TwilioCredential =>
  credential.type === "basic_auth" || credential.type === "api_key";

export const accountSidOf = (credential: TwilioCredential) =>
  credential.type === "basic_auth" ? credential.values.username : credential.values.account_sid;

/** The Account SID as lists show it: `AC…` and its last four characters. */
export const maskAccountSid = (sid: string) => `AC…${sid.slice(-4)}`;

/**
 * Twilio's account fetch (GET /2010-04-01/Accounts/{AccountSid}.json) with the credential,
 * through the official SDK: it needs no permission beyond valid credentials, changes nothing
 * and costs nothing. The answer (which carries the Auth Token) is discarded unread.
 */
export const checkTwilioCredential: CredentialCheck = async (credential, tenantId) => {
  const take = await tryTakeToken(
    tenantId,
    `credential-check:${tenantId}`,
    CHECK_BURST,
    CHECKS_PER_SECOND,
  );
  if (!take.allowed) {
    throw limitRefusal(
      "rate_limited_credential_checks",
      "Too many credential checks against Twilio for this tenant; nothing was saved. Try again in a few minutes.",
      (1 - take.tokens) / CHECKS_PER_SECOND,
    );
  }
  const sid = accountSidOf(credential);
  try {
    await twilioClientFor(credential).api.v2010.accounts(sid).fetch();
  } catch (error) {
    throw refusal(credential, error);
  }
};

function refusal(credential: TwilioCredential, error: unknown): AppError {
  const failure = mapTwilioError(error);
  const masked = maskAccountSid(accountSidOf(credential));
  const what =
    credential.type === "basic_auth" ? "this Account SID and Auth Token" : "this API key";
  const code = failure.error.code;
  if (code === "twilio_20003") {
    const check =
      credential.type === "basic_auth"
        ? "Check the Auth Token in the Twilio Console."
        : "Check the API Key SID and secret in the Twilio Console.";
    return new AppError("credential_rejected", `Twilio refused ${what} (error 20003). ${check}`, {
      remediation:
        "Copy it again from Account → API keys & tokens in the Twilio Console: after a rotation there only the new value works, and a deleted API key none.",
      cause: error,
    });
  }
  if (code === "twilio_20404") {
    return new AppError(
      "credential_account_mismatch",
      `Twilio accepted ${what}, but not for account ${masked} (error 20404). Check the Account SID.`,
      {
        remediation:
          "Use the Account SID of the account the API key or Auth Token belongs to (Twilio Console, Account Info).",
        cause: error,
      },
    );
  }
  if (isUpstreamFailure(failure) || code === "twilio_20429") {
    // Retryable: nothing was decided about the credential, and nothing was stored.
    return new AppError(
      "upstream_unavailable",
      "Twilio could not be reached to check the credential, so nothing was saved. Try again in a minute.",
      {
        remediation: "Retry after the Retry-After delay; the check has no side effects.",
        headers: { "retry-after": "30" },
        cause: error,
      },
    );
  }
  return new AppError(
    "credential_check_failed",
    `Twilio did not accept ${what} (${code}). Check the values in the Twilio Console.`,
    { remediation: failure.error.remediation, cause: error },
  );
}
