"use client";
import { useActionState } from "react";
import { signCheckpointAction, verifyChainAction } from "@/lib/features/audit/actions";
import type { ChainVerification } from "@/lib/features/audit/verify-chain";
import type { ActionState } from "@/lib/platform/request-context/tenant-action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

export function ChainActions({ tenantId }: { tenantId: string }) {
  const [verify, verifyAction, verifying] = useActionState<
    ActionState<ChainVerification>,
    FormData
  >(verifyChainAction, {});
  const [sign, signAction, signing] = useActionState<ActionState, FormData>(
    signCheckpointAction,
    {},
  );
  const r = verify.data;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <form action={verifyAction}>
          <input type="hidden" name="tenantId" value={tenantId} />
          <Button type="submit" variant="secondary" disabled={verifying}>
            {verifying ? "Verifying…" : "Verify chain"}
          </Button>
        </form>
        <form action={signAction}>
          <input type="hidden" name="tenantId" value={tenantId} />
          <Button type="submit" variant="secondary" disabled={signing}>
            Sign checkpoint now
          </Button>
        </form>
      </div>
      {r ? (
        <p
          role="status"
          data-testid="chain-result"
          className={`rounded-md px-3 py-2 text-sm ${r.ok ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-700"}`}
        >
          {r.ok
            ? `Chain intact: ${r.checked} events verified (head #${r.headSeq}${r.anchorSeq ? `, from anchor #${r.anchorSeq}` : ""}) in ${r.durationMs} ms.`
            : `Chain broken at event #${r.firstBroken?.seq ?? "?"}: ${r.firstBroken?.reason ?? ""}.`}
        </p>
      ) : (
        <FormMessage message={verify.message} />
      )}
      <FormMessage message={sign.message} ok={sign.ok} />
    </div>
  );
}
