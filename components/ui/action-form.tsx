"use client";
import {
  startTransition,
  useActionState,
  useEffect,
  useLayoutEffect,
  useRef,
  type FormHTMLAttributes,
  type ReactNode,
} from "react";
import { useRequestStepUp } from "./step-up-slot";
import type { ActionState } from "@/lib/shared/action-state";
import { FormMessage } from "./form-message";
import { restoreFormValues } from "./restore-form-values";

/** A server action as forms call it (see tenantAction). */
export type FormAction<T> = (state: ActionState<T>, formData: FormData) => Promise<ActionState<T>>;

interface ActionFormProps<T> extends Omit<
  FormHTMLAttributes<HTMLFormElement>,
  "action" | "children"
> {
  action: FormAction<T>;
  /** Hidden inputs: the ids the action works on. An undefined value is left out. */
  hiddenFields?: Record<string, string | undefined>;
  /** The fields; a function receives the last result (for field errors and echoed values). */
  children: ReactNode | ((state: ActionState<T>) => ReactNode);
  /** What a successful result shows besides its message (a secret shown once, a report). */
  result?: (state: ActionState<T>) => ReactNode;
  /** Where the result message goes: above the fields (sign-in cards) or below them. */
  messageAt?: "start" | "end";
}

/**
 * A form bound to a server action: it keeps the action's last result, shows its message
 * (role=status on success, role=alert on failure) and the pending state reaches the buttons
 * through useFormStatus (SubmitButton, ConfirmDialog). React resets a form after its action;
 * when the server refuses the input, what the person typed is put back (restoreFormValues), so
 * only a successful submit starts the form afresh. Field errors show beside their fields only;
 * the message above or below says what to do as a whole.
 */
export function ActionForm<T = undefined>({
  action,
  hiddenFields,
  children,
  result,
  messageAt = "end",
  ...form
}: ActionFormProps<T>) {
  const [state, formAction] = useActionState<ActionState<T>, FormData>(action, {});
  // What was last submitted, so a sensitive action asked to step up continues with it after.
  const submitted = useRef<FormData | null>(null);
  const askedFor = useRef<ActionState<T> | null>(null);
  const requestStepUp = useRequestStepUp();
  const formRef = useRef<HTMLFormElement>(null);
  const submit = (data: FormData) => {
    submitted.current = data;
    formAction(data);
  };
  useEffect(() => {
    if (!state.stepUp || !requestStepUp || askedFor.current === state) return;
    askedFor.current = state;
    void requestStepUp(state.stepUp).then((confirmed) => {
      const data = submitted.current;
      if (confirmed && data) startTransition(() => formAction(data));
    });
  }, [state, requestStepUp, formAction]);
  // After React's reset (committed with the new state), before the browser paints.
  useLayoutEffect(() => {
    if (state.ok || !submitted.current || !formRef.current) return;
    restoreFormValues(formRef.current, submitted.current);
  }, [state]);
  const message = <FormMessage message={messageOf(state)} ok={state.ok} />;
  return (
    <form ref={formRef} action={submit} {...form}>
      {messageAt === "start" ? message : null}
      {Object.entries(hiddenFields ?? {}).map(([name, value]) =>
        value === undefined ? null : <input key={name} type="hidden" name={name} value={value} />,
      )}
      {typeof children === "function" ? children(state) : children}
      {messageAt === "end" ? message : null}
      {result?.(state)}
    </form>
  );
}

/**
 * An ActionForm inside a tenant: carries the tenant id, which tenantAction resolves against
 * the session (the id only names the membership to use; it grants nothing).
 */
export function TenantForm<T = undefined>({
  tenantId,
  hiddenFields,
  ...props
}: ActionFormProps<T> & { tenantId: string }) {
  return <ActionForm {...props} hiddenFields={{ tenantId, ...hiddenFields }} />;
}

/** The form's own message, and an error about the input as a whole (`_`) unless it repeats it. */
function messageOf<T>(state: ActionState<T>): string | undefined {
  const whole = state.errors?._?.join(" ");
  if (!whole || whole === state.message) return state.message;
  return state.message ? `${state.message} ${whole}` : whole;
}
