import { z } from "zod";
import { OPERATIONS } from "@/lib/features/integrations/schemas";

// The test console's forms: flat text fields, turned into the operation's payload.
const text = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z.string().trim().max(4000).optional(),
);

export const consoleFormSchema = z.object({
  integration_id: z.string().min(1, "Choose an integration.").max(64),
  operation: z.enum(OPERATIONS),
  to: text,
  from: text,
  body: text,
  twiml: text,
  channel: text,
  locale: text,
  code: text,
  verification_sid: text,
  page_size: text,
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
};

export function payloadFromForm(form: ConsoleForm): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const field of FIELDS[form.operation]) {
    const value = form[field];
    if (value === undefined) continue;
    payload[field] = field === "page_size" ? Number(value) : value;
  }
  return payload;
}

/** The body of POST /api/v2/proxy/outbound. */
export const outboundRequestSchema = z.strictObject({
  integration_id: z.string().min(1, "integration_id is required.").max(64),
  operation: z.string().min(1, "operation is required.").max(64),
  payload: z.record(z.string(), z.unknown(), "payload must be an object."),
});
