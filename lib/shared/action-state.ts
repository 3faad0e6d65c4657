/** What a server action answers a form with: a message, field errors, data, echoed values. */
export interface ActionState<T = undefined> {
  ok?: boolean;
  message?: string;
  errors?: Record<string, string[] | undefined>;
  data?: T;
  /** Non-secret fields echoed back after a failed submit (lib/platform/http/form-values.ts). */
  values?: Record<string, string>;
}
