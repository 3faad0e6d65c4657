import { type z } from "zod";
import { AppError } from "@/lib/platform/errors/app-error";
import { fieldErrorsOf } from "@/lib/platform/errors/field-errors";
import { createIntegrationSchema, updateIntegrationSchema } from "./schemas";

// The console's integration form (flat fields, checkboxes) -> the API's input shape.
const toArray = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === "string")
    : typeof v === "string"
      ? [v]
      : [];
const orNull = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
const num = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? Number(v) : undefined);

function fromForm(raw: Record<string, unknown>) {
  return {
    name: raw.name,
    credential_id: raw.credential_id,
    webhook_credential_id: orNull(raw.webhook_credential_id),
    allowed_operations: toArray(raw.allowed_operations),
    allowed_countries: (typeof raw.allowed_countries === "string" ? raw.allowed_countries : "")
      .split(/[\s,]+/)
      .filter(Boolean),
    verify_service_sid: orNull(raw.verify_service_sid),
    default_from: orNull(raw.default_from),
    messaging_service_sid: orNull(raw.messaging_service_sid),
    sends_per_destination: num(raw.sends_per_destination),
    checks_per_destination: num(raw.checks_per_destination),
    destination_window_seconds: num(raw.destination_window_seconds),
    key_burst: num(raw.key_burst),
    key_rate_per_second: num(raw.key_rate_per_second),
    forward_url: orNull(raw.forward_url),
    enabled: raw.enabled === "on" || raw.enabled === "true",
  };
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError("invalid_input", "Please correct the highlighted fields.", {
    fieldErrors: fieldErrorsOf(parsed.error, { topLevel: true }),
  });
}

export const createFromForm = (raw: Record<string, unknown>) => {
  const values = Object.fromEntries(
    Object.entries({ ...fromForm(raw), system_type: "twilio" }).filter(([, v]) => v !== undefined),
  );
  return parseOrThrow(createIntegrationSchema, values);
};

export const updateFromForm = (raw: Record<string, unknown>) => {
  const values = Object.fromEntries(
    Object.entries(fromForm(raw)).filter(([, v]) => v !== undefined),
  );
  return parseOrThrow(updateIntegrationSchema, values);
};
