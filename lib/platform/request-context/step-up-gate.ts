import "server-only";
import { getDb } from "@/db";
import { stepUpNeeded } from "@/lib/platform/auth/step-up";
import { AppError } from "@/lib/platform/errors/app-error";
import type { StepUpMethods } from "@/lib/shared/action-state";
import type { Permission } from "./permissions";
import type { TenantContext } from "./resolve-tenant";

/**
 * Permissions whose actions need a recent proof (STEP_UP_MINUTES): sealing, rotating or
 * deleting credentials; API keys; integrations (their webhook forwarding and intake
 * credentials decide where Twilio's traffic goes); members and roles; every tenant setting
 * (KMS, key rotation, re-wrap, retention, MFA policy, single sign-on). Server actions and the
 * console's JSON routes both pass through here; API keys never do.
 */
const STEP_UP_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  "vault:write",
  "keys:write",
  "integrations:write",
  "members:write",
  "owners:manage",
  "settings:write",
]);

/** Null when the member may go ahead; otherwise how they can confirm it is them. */
export async function stepUpFor(
  ctx: Pick<TenantContext, "userId" | "stepUpAt">,
  permission: Permission,
): Promise<StepUpMethods | null> {
  return STEP_UP_PERMISSIONS.has(permission) ? stepUpNeeded(getDb(), ctx) : null;
}

/** The route-handler form: a sensitive request with an old proof is refused (403 step_up_required). */
export async function assertSteppedUp(
  ctx: Pick<TenantContext, "userId" | "stepUpAt">,
  permission: Permission,
): Promise<void> {
  if (await stepUpFor(ctx, permission)) {
    throw new AppError(
      "step_up_required",
      "This change is sensitive and your last sign-in or confirmation is too old.",
      { remediation: "Confirm it is you in the console (or sign in again), then retry." },
    );
  }
}
