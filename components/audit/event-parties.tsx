import Link from "next/link";
import type { ReactNode } from "react";
import type { toApiEvent } from "@/lib/features/audit/api-event";
import { auditListHref } from "@/lib/features/audit/links";
import type { RelatedNames } from "@/lib/features/audit/related";

// Who and what an audit event names, linked to where the console shows them.

export type ApiEvent = ReturnType<typeof toApiEvent>;

// Where the console shows an integration, credential or API key (linked by its name).
export const integrationHref = (tenantId: string, id: string) =>
  `/t/${tenantId}/integrations/${id}`;
export const credentialHref = (tenantId: string, id: string) => `/t/${tenantId}/vault#${id}`;
const apiKeyHref = (tenantId: string, id: string) => `/t/${tenantId}/api-keys#${id}`;
const NAMED_HREF: Record<string, (tenantId: string, id: string) => string> = {
  integration: integrationHref,
  credential: credentialHref,
  api_key: apiKeyHref,
};

export const Id = ({ children }: { children: ReactNode }) => (
  <code className="font-mono text-xs break-all text-slate-700">{children}</code>
);

const linkClass = "underline";

export function Actor({
  e,
  tenantId,
  related,
}: {
  e: ApiEvent;
  tenantId: string;
  related: RelatedNames;
}) {
  const others = e.actor_id ? (
    <>
      {" · "}
      <Link className={linkClass} href={auditListHref(tenantId, { actor: e.actor_id })}>
        Events by this actor
      </Link>
    </>
  ) : null;
  if (e.actor_type === "user")
    return (
      <>
        {e.actor_label ?? <Id>{e.actor_id}</Id>} <span className="text-slate-600">(member)</span>
        {others}
      </>
    );
  if (e.actor_type === "api_key") {
    const key = e.actor_id ? related.apiKeys[e.actor_id] : undefined;
    return (
      <>
        API key{" "}
        {key && e.actor_id ? (
          <>
            <Link className={linkClass} href={apiKeyHref(tenantId, e.actor_id)}>
              {key.name}
            </Link>{" "}
          </>
        ) : null}
        <Id>{key?.prefix ?? e.actor_label ?? e.actor_id}</Id>
        {others}
      </>
    );
  }
  return <>PQSeal (system)</>;
}

/** The page listing other targets (members, the tenant's settings); none: shown as its id. */
function pageHref(tenantId: string, type: string): string | null {
  if (type === "membership" || type === "invite" || type === "user")
    return `/t/${tenantId}/members`;
  if (type === "tenant") return `/t/${tenantId}/settings`;
  return null;
}

function nameOf(related: RelatedNames, type: string, id: string): string | undefined {
  if (type === "integration") return related.integrations[id];
  if (type === "credential") return related.credentials[id];
  if (type === "api_key") return related.apiKeys[id]?.name;
  return undefined;
}

export function Target({
  e,
  tenantId,
  related,
}: {
  e: ApiEvent;
  tenantId: string;
  related: RelatedNames;
}) {
  const { target_type: type, target_id: id } = e;
  if (!type || !id) return <>—</>;
  const named = NAMED_HREF[type]?.(tenantId, id);
  const page = pageHref(tenantId, type);
  return (
    <>
      <span className="text-slate-600">{type.replaceAll("_", " ")}</span>{" "}
      {named ? (
        <Named name={nameOf(related, type, id)} id={id} href={named} />
      ) : page ? (
        <Link className={linkClass} href={page}>
          <Id>{id}</Id>
        </Link>
      ) : (
        <Id>{id}</Id>
      )}
      {" · "}
      <Link className={linkClass} href={auditListHref(tenantId, { target: id })}>
        Events about this target
      </Link>
    </>
  );
}

/** Something the event names, linked by its name; gone (or never this tenant's): its id. */
export function Named({ name, id, href }: { name: string | undefined; id: string; href: string }) {
  if (!name)
    return (
      <>
        <Id>{id}</Id> <span className="text-slate-600">(no longer exists)</span>
      </>
    );
  return (
    <>
      <Link className={linkClass} href={href}>
        {name}
      </Link>{" "}
      <Id>{id}</Id>
    </>
  );
}
