"use server";
import { tenantAction } from "@/lib/platform/request-context/tenant-action";
import type { ActionState } from "@/lib/shared/action-state";
import { runConsoleOperation, type ConsoleResult } from "./test-console";
import { consoleFormSchema, payloadFromForm } from "./schemas";

export const runConsoleAction = tenantAction(
  "console:use",
  consoleFormSchema,
  async (ctx, input): Promise<ActionState<ConsoleResult>> => {
    const result = await runConsoleOperation(ctx, {
      integration_id: input.integration_id,
      operation: input.operation,
      payload: payloadFromForm(input),
    });
    return {
      ok: result.success,
      data: result,
      message: result.success
        ? `${input.operation} succeeded (HTTP ${result.status}).`
        : `${input.operation} failed (HTTP ${result.status}).`,
    };
  },
);
