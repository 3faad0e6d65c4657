import { z } from "zod";
import { personSchema } from "@/lib/platform/auth/schemas";

const tenantNameSchema = z.string().trim().min(2, "Use at least 2 characters.").max(80);

/** First run: the first owner and their tenant. */
export const setupSchema = personSchema.extend({ tenantName: tenantNameSchema });

export const createTenantSchema = z.object({ tenantName: tenantNameSchema });
