"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useCallback, useState, type ReactNode } from "react";
import { StepUpDialog } from "@/components/auth/step-up-dialog";
import { StepUpProvider } from "@/components/ui/step-up-slot";
import type { StepUpMethods } from "@/lib/shared/action-state";

type Pending = { methods: StepUpMethods; resolve: (confirmed: boolean) => void };

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000 } } }),
  );
  // One step-up dialog for the whole app: a sensitive form's action asks, the member confirms
  // (or cancels), and the form resubmits (components/ui/action-form.tsx).
  const [pending, setPending] = useState<Pending | null>(null);
  const requestStepUp = useCallback(
    (methods: StepUpMethods) => new Promise<boolean>((resolve) => setPending({ methods, resolve })),
    [],
  );
  const settle = (confirmed: boolean) => {
    pending?.resolve(confirmed);
    setPending(null);
  };
  return (
    <QueryClientProvider client={client}>
      <StepUpProvider value={requestStepUp}>
        {children}
        {pending ? (
          <StepUpDialog
            methods={pending.methods}
            onConfirmed={() => settle(true)}
            onCancel={() => settle(false)}
          />
        ) : null}
      </StepUpProvider>
    </QueryClientProvider>
  );
}
