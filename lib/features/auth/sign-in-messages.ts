import { COOLDOWN_MS } from "@/lib/platform/auth/sign-in-throttle";

// Same wording whether or not the e-mail exists.
export const SIGN_IN_MESSAGES: Record<string, string> = {
  invalid_credentials: "Wrong e-mail or password.",
  account_locked: `Too many failed sign-in attempts. Sign-in for this account is paused for ${
    COOLDOWN_MS / 60_000
  } minutes; try again later.`,
  sso_required: "Your organisation signs you in with single sign-on. Use the button below.",
  sso_refused:
    "Single sign-on did not open an account: your e-mail domain is not mapped to an organisation here, or the e-mail is not verified. Ask an owner.",
};
