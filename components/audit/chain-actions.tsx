"use client";
import { signCheckpointAction, verifyChainAction } from "@/lib/features/audit/actions";
import type { ChainVerification } from "@/lib/features/audit/verify-chain";
import { TenantForm } from "@/components/ui/action-form";
import { cn } from "@/components/ui/cn";
import { SubmitButton } from "@/components/ui/submit-button";

function ChainResult({ r }: { r: ChainVerification }) {
  return (
    <p
      role="status"
      data-testid="chain-result"
      className={cn(
        "w-full rounded-md px-3 py-2 text-sm",
        r.ok ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-700",
      )}
    >
      {r.ok
        ? `Chain intact up to event #${r.headSeq}: ${r.checked} events checked${r.anchorSeq ? ` from anchor #${r.anchorSeq}` : ""} in ${r.durationMs} ms.`
        : `Chain broken at event #${r.firstBroken?.seq ?? "?"}: ${r.firstBroken?.reason ?? ""}.`}
    </p>
  );
}

/** Verify and sign, each showing progress while it runs; both refresh the page after. */
export function ChainActions({ tenantId }: { tenantId: string }) {
  return (
    <div className="flex flex-wrap items-start gap-3">
      <TenantForm
        action={verifyChainAction}
        tenantId={tenantId}
        className="flex flex-wrap items-center gap-2"
        result={(state) => (state.data ? <ChainResult r={state.data} /> : null)}
      >
        <SubmitButton variant="secondary" pendingLabel="Verifying…">
          Verify chain
        </SubmitButton>
      </TenantForm>
      <TenantForm
        action={signCheckpointAction}
        tenantId={tenantId}
        className="flex flex-wrap items-center gap-2"
      >
        <SubmitButton variant="secondary" pendingLabel="Signing…">
          Sign checkpoint now
        </SubmitButton>
      </TenantForm>
    </div>
  );
}
