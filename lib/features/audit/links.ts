import { AUDIT_FILTER_NAMES } from "./schemas";

// Links between the audit list and its event pages. The list's filters live in the URL; an
// event page is reached with `back` (the list URL it came from) so "← Audit log" returns to
// the same view. `back` arrives in a query string anyone can craft: it is only ever turned
// back into this tenant's list path with the known parameters, never followed as given.

/** The parameters a list URL keeps: the filters and the page. */
const LIST_PARAMS: readonly string[] = [...AUDIT_FILTER_NAMES, "cursor"];
const BASE = "https://pqseal.invalid";

export const auditListPath = (tenantId: string) => `/t/${tenantId}/audit`;

/** The list URL with these parameters (empty ones left out). */
export function auditListHref(tenantId: string, params: Record<string, string | undefined>) {
  const query = new URLSearchParams();
  for (const name of LIST_PARAMS) {
    const value = params[name]?.trim();
    if (value) query.set(name, value);
  }
  const search = query.toString();
  return search ? `${auditListPath(tenantId)}?${search}` : auditListPath(tenantId);
}

/** An event's page, remembering the list URL it was opened from. */
export function auditEventHref(tenantId: string, eventId: string, back?: string) {
  const path = `${auditListPath(tenantId)}/${encodeURIComponent(eventId)}`;
  return back && back !== auditListPath(tenantId)
    ? `${path}?${new URLSearchParams({ back }).toString()}`
    : path;
}

/**
 * Where "← Audit log" goes: `back` when it is this tenant's audit list (a relative path with
 * list parameters), rebuilt from its known parameters; otherwise the unfiltered list. An
 * absolute URL, a protocol-relative `//host`, another tenant's or another page's path all
 * fall back to the list.
 */
export function safeBackHref(tenantId: string, back: string | undefined): string {
  const list = auditListPath(tenantId);
  if (!back || !back.startsWith("/") || back.startsWith("//") || /[\\\s]/.test(back)) return list;
  let url: URL;
  try {
    url = new URL(back, BASE);
  } catch {
    return list;
  }
  if (url.origin !== BASE || url.pathname !== list) return list;
  return auditListHref(tenantId, Object.fromEntries(url.searchParams.entries()));
}
