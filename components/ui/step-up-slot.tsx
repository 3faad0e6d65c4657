"use client";
import { createContext, useContext } from "react";
import type { StepUpMethods } from "@/lib/shared/action-state";

/** Asks the member to confirm it is them; resolves true once they did, false if they cancelled. */
export type RequestStepUp = (methods: StepUpMethods) => Promise<boolean>;

// The dialog itself is feature UI (components/auth/step-up-dialog.tsx), hosted once by the
// app's providers; forms reach it through this context, so the primitive imports none of it.
const StepUpSlot = createContext<RequestStepUp | null>(null);

export const StepUpProvider = StepUpSlot.Provider;

export function useRequestStepUp(): RequestStepUp | null {
  return useContext(StepUpSlot);
}
