import { Field } from "@/components/ui/field";
import type { CredentialType } from "@/lib/features/vault/schemas";

type Errors = Record<string, string[] | undefined> | undefined;

const FIELDS: Record<
  CredentialType,
  { name: string; label: string; secret: boolean; hint?: string }[]
> = {
  basic_auth: [
    {
      name: "username",
      label: "Account SID",
      secret: false,
      hint: "AC followed by 32 hex characters",
    },
    { name: "password", label: "Auth Token", secret: true },
  ],
  api_key: [
    { name: "account_sid", label: "Account SID", secret: false, hint: "AC…" },
    { name: "key_sid", label: "API Key SID", secret: false, hint: "SK…" },
    { name: "key_secret", label: "API Key secret", secret: true },
  ],
  webhook_secret: [
    {
      name: "secret",
      label: "Webhook signing secret",
      secret: true,
      hint: "The Auth Token Twilio signs webhooks with",
    },
  ],
};

/** The value inputs of one credential type. Secrets are masked and never pre-filled. */
export function CredentialFields({ type, errors }: { type: CredentialType; errors: Errors }) {
  return (
    <>
      {FIELDS[type].map((f) => (
        <Field
          key={`${type}-${f.name}`}
          label={f.label}
          name={f.name}
          type={f.secret ? "password" : "text"}
          autoComplete="off"
          spellCheck={false}
          required
          {...(f.hint ? { hint: f.hint } : {})}
          errors={errors?.[`values.${f.name}`]}
        />
      ))}
    </>
  );
}
