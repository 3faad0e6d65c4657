import "server-only";
import { NO_REQUEST, type RequestMeta } from "@/lib/platform/http/request-meta";

/** The actor as an audit event records it. */
export interface AuditActor {
  type: "user" | "api_key" | "system";
  id: string | null;
  /** e-mail for users, the public prefix for API keys. */
  label: string | null;
}

/**
 * Who is acting, in which tenant, from where: the one caller type for console members, API
 * keys and background jobs. The chokepoints (resolveTenant, withApiKey) build it once per
 * request; services take it as their first argument and hand it to recordAudit unchanged.
 */
export interface Acting {
  tenantId: string;
  actor: AuditActor;
  /** IP, user agent and request id, captured once per request. */
  meta: RequestMeta;
}

export const SYSTEM_ACTOR: AuditActor = { type: "system", id: null, label: "pqseal" };

/** PQSeal itself acting for a tenant (jobs, webhook intake), optionally within a request. */
export const systemActing = (tenantId: string, meta: RequestMeta = NO_REQUEST): Acting => ({
  tenantId,
  actor: SYSTEM_ACTOR,
  meta,
});

/** A signed-in person acting in a tenant (outside the tenant chokepoint: sign-in, setup). */
export const userActing = (
  tenantId: string,
  user: { id: string; email: string },
  meta: RequestMeta,
): Acting => ({ tenantId, actor: { type: "user", id: user.id, label: user.email }, meta });

/** The member's user id when a person acts (for `created_by` columns), else null. */
export const actingUserId = (by: Acting): string | null =>
  by.actor.type === "user" ? by.actor.id : null;
