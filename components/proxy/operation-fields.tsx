import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import type { Operation } from "@/lib/features/integrations/schemas";
import type { ActionState } from "@/lib/shared/action-state";

/** What the console's fields hold before anything is typed. */
export const FIELD_DEFAULTS: Record<string, string> = {
  channel: "sms",
  page_size: "20",
  twiml: "<Response><Say>Hello from PQSeal</Say></Response>",
};

const NUMBER = "+14155550100";
const SID_HINT = "Filled in from the last verification run here.";

/**
 * The inputs of one operation. Their values come from what was last typed in any tab (the
 * number of "Start verification" is the number of "Check code"); the code never is.
 */
export function OperationFields({
  op,
  values,
  errors,
}: {
  op: Operation;
  values: Record<string, string>;
  errors: ActionState["errors"];
}) {
  const field = (name: string) => ({ name, defaultValue: values[name], errors: errors?.[name] });
  const to = <Field label="To" {...field("to")} required placeholder={NUMBER} inputMode="tel" />;
  const from = (
    <Field label="From (optional)" {...field("from")} placeholder="integration default" />
  );
  switch (op) {
    case "send_sms":
      return (
        <>
          {to}
          {from}
          <Field label="Message" {...field("body")} required />
        </>
      );
    case "make_call":
      return (
        <>
          {to}
          {from}
          <Field label="TwiML" {...field("twiml")} required />
        </>
      );
    case "create_verification":
      return (
        <>
          <Field
            label="To"
            {...field("to")}
            required
            placeholder={NUMBER}
            hint="A phone number, or an e-mail address for the email channel."
          />
          <Select label="Channel" {...field("channel")}>
            {["sms", "call", "email", "whatsapp"].map((c) => (
              <option key={c}>{c}</option>
            ))}
          </Select>
          <Field label="Locale (optional)" {...field("locale")} placeholder="en" />
        </>
      );
    case "check_verification":
      return (
        <>
          <Field label="To" {...field("to")} required placeholder={NUMBER} />
          {/* Not filled in: the number names the verification; a SID left over could not. */}
          <Field
            label="Verification SID (optional)"
            name="verification_sid"
            errors={errors?.verification_sid}
            placeholder="VE…"
          />
          <Field
            label="Code"
            name="code"
            errors={errors?.code}
            required
            inputMode="numeric"
            autoComplete="one-time-code"
          />
        </>
      );
    case "fetch_verification":
    case "cancel_verification":
      return (
        <Field
          label="Verification SID"
          {...field("verification_sid")}
          required
          placeholder="VE…"
          hint={SID_HINT}
        />
      );
    case "list_messages":
      return (
        <>
          <Field label="To (optional)" {...field("to")} placeholder={NUMBER} />
          <Field label="Page size" {...field("page_size")} type="number" min={1} max={1000} />
        </>
      );
    case "lookup_number":
      return (
        <Field
          label="Phone number"
          name="phone_number"
          defaultValue={values.phone_number ?? values.to}
          errors={errors?.phone_number}
          required
          placeholder={NUMBER}
          inputMode="tel"
        />
      );
  }
}
