"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { tenantAction } from "@/lib/platform/request-context/tenant-action";
import type { ActionState } from "@/lib/shared/action-state";
import { signCheckpoint } from "./checkpoints";
import { auditListPath } from "./links";
import { verifyAndRecord, type ChainVerification } from "./verify-chain";

const empty = z.object({});

/** Walks the tenant's chain and records that it was verified (and the result). */
export const verifyChainAction = tenantAction(
  "audit:read",
  empty,
  async (ctx): Promise<ActionState<ChainVerification>> => {
    const result = await verifyAndRecord(ctx);
    // The verification is itself an event: the list and the integrity card show it.
    revalidatePath(auditListPath(ctx.tenantId));
    return { ok: result.ok, data: result };
  },
);

// Auditors may sign a checkpoint (decided for #13): like verifying and exporting, it adds
// evidence (a signed checkpoint and its own audit event) and changes no configuration.
export const signCheckpointAction = tenantAction("audit:read", empty, async (ctx) => {
  const checkpoint = await signCheckpoint(ctx);
  if (!checkpoint) return { ok: false, message: "Nothing to sign yet: the audit log is empty." };
  revalidatePath(auditListPath(ctx.tenantId));
  return {
    ok: true,
    message: `Signed checkpoint #${checkpoint.seq}: events up to #${checkpoint.seq} are signed (ML-DSA-65).`,
  };
});
