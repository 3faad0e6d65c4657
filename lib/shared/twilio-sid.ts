import { z } from "zod";

// A Twilio SID is a two-letter prefix naming the kind of resource, then 32 hexadecimal
// characters: AC account, SK API key, VA Verify service, VE verification, MG messaging service.
type TwilioSidPrefix = "AC" | "SK" | "VA" | "VE" | "MG";

/** What a form shows beside a SID field. */
const twilioSidHint = (prefix: TwilioSidPrefix) =>
  `${prefix} followed by 32 hexadecimal characters`;

/** A SID of one kind; `what` names it in the error ("The Account SID", "verification_sid"). */
export function twilioSid(prefix: TwilioSidPrefix, what: string, base = z.string()) {
  return base.regex(
    new RegExp(`^${prefix}[0-9a-fA-F]{32}$`),
    `${what} starts with ${twilioSidHint(prefix)}.`,
  );
}
