/** What a server action answers a form with: a message, field errors, data, echoed values. */
export interface ActionState<T = undefined> {
  ok?: boolean;
  message?: string;
  errors?: Record<string, string[] | undefined>;
  data?: T;
  /** Non-secret fields echoed back after a failed submit (lib/platform/http/form-values.ts). */
  values?: Record<string, string>;
  /**
   * The action is sensitive and the member's last proof is too old: the form asks for a
   * second factor (or the password, for members without one) and then submits again.
   */
  stepUp?: StepUpMethods;
}

/** How a member can confirm it is them (components/auth/step-up-dialog.tsx). */
export interface StepUpMethods {
  passkey: boolean;
  totp: boolean;
  recoveryCode: boolean;
  password: boolean;
  /**
   * No way at all (single sign-on, no second factor, no password that may be used): the member
   * signs out and in again with single sign-on; a fresh sign-in counts as a proof for a while.
   */
  enrolFirst: boolean;
}
