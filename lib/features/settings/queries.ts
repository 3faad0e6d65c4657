import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { tenants } from "@/db/schema";
import { notFound } from "@/lib/platform/errors/app-error";

export async function getTenantSettings({ tenantId }: { tenantId: string }) {
  const [row] = await getDb().select().from(tenants).where(eq(tenants.id, tenantId));
  if (!row) throw notFound("Tenant");
  return row;
}
