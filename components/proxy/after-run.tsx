"use client";
import { useLayoutEffect, useRef, type RefObject } from "react";
import { restoreFormValues } from "@/components/ui/restore-form-values";
import type { ConsoleResult } from "@/lib/features/proxy/test-console";
import type { ActionState } from "@/lib/shared/action-state";

/**
 * Once per console result, inside the form: React resets a form whose action succeeded, so what
 * was submitted is put back (ActionForm already does it after a refusal; a one-time code is
 * never put back), and the SID of the verification the result is about is passed up so the
 * fetch and cancel tabs fill it in.
 */
export function AfterRun({
  state,
  submitted,
  onVerification,
}: {
  state: ActionState<ConsoleResult>;
  /** The form's data as last submitted (the form's onSubmit keeps it). */
  submitted: RefObject<FormData | null>;
  onVerification: (sid: string) => void;
}) {
  const marker = useRef<HTMLSpanElement>(null);
  const handled = useRef<ActionState<ConsoleResult>>(state);
  useLayoutEffect(() => {
    if (handled.current === state) return;
    handled.current = state;
    // A layout effect runs after React's reset and before the browser paints.
    const form = marker.current?.closest("form");
    if (state.ok && form && submitted.current) restoreFormValues(form, submitted.current);
    const sid = state.data?.outcome.verification?.sid;
    if (sid) onVerification(sid);
  }, [state, submitted, onVerification]);
  return <span ref={marker} hidden />;
}
