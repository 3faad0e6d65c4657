import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";
import { toApiEvent } from "./api-event";
import { getAuditEventOrThrow } from "./queries";
import { relatedNames } from "./related";

/**
 * An event's page: the event and the names of what it mentions, for a member who may read
 * the audit log. Cached for the request, so the page title and the page read it (and check
 * access, which a refusal audits) once.
 */
export const loadAuditEvent = cache(async (tenantId: string, eventId: string) => {
  const ctx = await tenantPage(tenantId, "audit:read");
  const row = await getAuditEventOrThrow({ tenantId: ctx.tenantId, id: eventId });
  if (!row) notFound();
  return {
    tenantId: ctx.tenantId,
    event: toApiEvent(row),
    related: await relatedNames(ctx.tenantId, row),
  };
});
