import "server-only";
import { listAuditEvents, type AuditPage } from "./queries";
import { parseAuditSearch, type AuditSearch, type SearchParams } from "./search";

/**
 * The console list: the filters from the URL and, only when they are all valid, the events
 * they select. Invalid filters list nothing (no query runs) and come back as field errors.
 */
export async function loadAuditList(
  tenantId: string,
  searchParams: SearchParams,
): Promise<AuditSearch & { page: AuditPage | null }> {
  const search = parseAuditSearch(searchParams);
  const page = search.query ? await listAuditEvents(tenantId, search.query) : null;
  return { ...search, page };
}
