import "server-only";
import { forbidden, notFound, redirect } from "next/navigation";
import { AppError } from "@/lib/platform/errors/app-error";
import type { Permission } from "./permissions";
import { MFA_ENROL_PATH } from "@/lib/shared/paths";
import { resolveTenant, type TenantContext } from "./resolve-tenant";

/** Page form of the chokepoint: not signed in -> sign-in, not a member -> 404, no right -> 403. */
export async function tenantPage(tenantId: string, permission: Permission): Promise<TenantContext> {
  try {
    return await resolveTenant(tenantId, permission);
  } catch (error) {
    if (error instanceof AppError) {
      if (error.code === "unauthenticated") redirect("/sign-in");
      if (error.code === "mfa_enrolment_required") redirect(MFA_ENROL_PATH);
      if (error.code === "not_found") notFound();
      if (error.code === "forbidden") forbidden();
    }
    throw error;
  }
}
