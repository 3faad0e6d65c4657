import { z } from "zod";
import { labelSchema } from "@/lib/shared/label";
import { personSchema, withStrongPassword } from "@/lib/platform/auth/schemas";

const tenantNameSchema = labelSchema("Use at least 2 characters.", 80, 2);

/** First run: the first owner and their tenant. */
export const setupSchema = withStrongPassword(
  personSchema.extend({ tenantName: tenantNameSchema }),
);

export const createTenantSchema = z.object({ tenantName: tenantNameSchema });
