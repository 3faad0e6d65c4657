import "server-only";
import { listMyTenants } from "@/lib/platform/request-context/resolve-tenant";

/**
 * The tenant a page outside any tenant (new tenant, API reference) links back to: the one it
 * was opened from (`from`, if the user is a member of it), else their first, or null.
 */
export async function tenantToReturnTo(
  userId: string,
  from: string | string[] | undefined,
): Promise<{ id: string; name: string } | null> {
  const tenants = await listMyTenants(userId);
  const chosen = tenants.find((t) => t.id === from) ?? tenants[0];
  return chosen ? { id: chosen.id, name: chosen.name } : null;
}
