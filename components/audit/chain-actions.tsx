"use client";
import { signCheckpointAction, verifyChainAction } from "@/lib/features/audit/actions";
import type { ChainVerification } from "@/lib/features/audit/verify-chain";
import { TenantForm } from "@/components/ui/action-form";
import { cn } from "@/components/ui/cn";
import { SubmitButton } from "@/components/ui/submit-button";
import { TenantActionButton } from "@/components/ui/tenant-action-button";

function ChainResult({ r }: { r: ChainVerification }) {
  return (
    <p
      role="status"
      data-testid="chain-result"
      className={cn(
        "rounded-md px-3 py-2 text-sm",
        r.ok ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-700",
      )}
    >
      {r.ok
        ? `Chain intact: ${r.checked} events verified (head #${r.headSeq}${r.anchorSeq ? `, from anchor #${r.anchorSeq}` : ""}) in ${r.durationMs} ms.`
        : `Chain broken at event #${r.firstBroken?.seq ?? "?"}: ${r.firstBroken?.reason ?? ""}.`}
    </p>
  );
}

export function ChainActions({ tenantId }: { tenantId: string }) {
  return (
    <div className="space-y-3">
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
      <TenantActionButton action={signCheckpointAction} tenantId={tenantId}>
        Sign checkpoint now
      </TenantActionButton>
    </div>
  );
}
