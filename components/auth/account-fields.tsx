import { Field } from "@/components/ui/field";
import type { ActionState } from "@/lib/shared/action-state";

/**
 * The e-mail and password fields of every account form (sign-in, first-run setup, invite
 * sign-up), with the person's name when an account is being created. Refused input keeps
 * what was typed (except the password) and shows its errors beside the field.
 */
export function AccountFields({
  state,
  creating,
}: {
  state: ActionState;
  /** A new account: asks for the name, and the password is a new one. */
  creating?: boolean;
}) {
  return (
    <>
      {creating ? (
        <Field
          label="Your name"
          name="name"
          autoComplete="name"
          required
          defaultValue={state.values?.name}
          errors={state.errors?.name}
        />
      ) : null}
      <Field
        label="E-mail"
        name="email"
        type="email"
        autoComplete="username"
        required
        defaultValue={state.values?.email}
        errors={state.errors?.email}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete={creating ? "new-password" : "current-password"}
        required
        {...(creating ? { hint: "At least 12 characters." } : {})}
        errors={state.errors?.password}
      />
    </>
  );
}
