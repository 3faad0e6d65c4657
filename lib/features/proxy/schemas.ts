import { z } from "zod";
import { OPERATIONS } from "@/lib/features/integrations/schemas";
import { digitsToNumber } from "@/lib/shared/form-integer";
import { idSchema } from "@/lib/shared/ids";
import { safeText, type TextKind } from "@/lib/shared/text";

// The test console's forms: flat text fields, turned into the operation's payload.
const text = (kind: TextKind = "line") =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    safeText(z.string().trim().max(4000), kind).optional(),
  );

const integrationId = (message: string) => idSchema("integration", message);

export const consoleFormSchema = z.object({
  integration_id: integrationId("Choose an integration."),
  operation: z.enum(OPERATIONS),
  to: text(),
  from: text(),
  body: text("message"),
  twiml: text("message"),
  channel: text(),
  locale: text(),
  code: text(),
  verification_sid: text(),
  page_size: text(),
  phone_number: text(),
});

export type ConsoleForm = z.output<typeof consoleFormSchema>;

const FIELDS: Record<ConsoleForm["operation"], (keyof ConsoleForm)[]> = {
  send_sms: ["to", "from", "body"],
  make_call: ["to", "from", "twiml"],
  create_verification: ["to", "channel", "locale"],
  check_verification: ["to", "code", "verification_sid"],
  fetch_verification: ["verification_sid"],
  cancel_verification: ["verification_sid"],
  list_messages: ["to", "from", "page_size"],
  lookup_number: ["phone_number"],
};

export function payloadFromForm(form: ConsoleForm): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const field of FIELDS[form.operation]) {
    const value = form[field];
    if (value === undefined) continue;
    payload[field] = field === "page_size" ? digitsToNumber(value) : value;
  }
  return payload;
}

/** The body of POST /api/v2/proxy/outbound. */
export const outboundRequestSchema = z.strictObject({
  integration_id: integrationId("integration_id is an integration id (int_…)."),
  operation: z.string().min(1, "operation is required.").max(64),
  payload: z.record(z.string(), z.unknown(), "payload must be an object."),
});
