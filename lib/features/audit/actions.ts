"use server";
import { z } from "zod";
import { tenantAction } from "@/lib/platform/request-context/tenant-action";
import type { ActionState } from "@/lib/shared/action-state";
import { signCheckpoint } from "./checkpoints";
import { verifyAndRecord, type ChainVerification } from "./verify-chain";

const empty = z.object({});

/** Walks the tenant's chain and records that it was verified (and the result). */
export const verifyChainAction = tenantAction(
  "audit:read",
  empty,
  async (ctx): Promise<ActionState<ChainVerification>> => {
    const result = await verifyAndRecord(ctx);
    return { ok: result.ok, data: result };
  },
);

// Auditors may sign a checkpoint (decided for #13): like verifying and exporting, it adds
// evidence (a signed checkpoint and its own audit event) and changes no configuration.
export const signCheckpointAction = tenantAction("audit:read", empty, async (ctx) => {
  const checkpoint = await signCheckpoint(ctx);
  return checkpoint
    ? { ok: true, message: `Signed the chain head at event ${checkpoint.seq} (ML-DSA-65).` }
    : { ok: false, message: "Nothing to sign yet: the audit log is empty." };
});
