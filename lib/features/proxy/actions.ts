"use server";
import { tenantAction } from "@/lib/platform/request-context/tenant-action";
import type { ActionState } from "@/lib/shared/action-state";
import { runConsoleOperation, type ConsoleResult } from "./test-console";
import { consoleFormSchema, payloadFromForm } from "./schemas";

// The result carries its own sentence (ConsoleResult.outcome.headline, shown in the result
// panel), so the form adds no message; `ok` is the real outcome (a wrong code is not ok).
export const runConsoleAction = tenantAction(
  "console:use",
  consoleFormSchema,
  async (ctx, input): Promise<ActionState<ConsoleResult>> => {
    const result = await runConsoleOperation(ctx, {
      integration_id: input.integration_id,
      operation: input.operation,
      payload: payloadFromForm(input),
    });
    return { ok: result.outcome.ok, data: result };
  },
);
