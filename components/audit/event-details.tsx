import type { ReactNode } from "react";
import type { RelatedNames } from "@/lib/features/audit/related";
import { Card } from "@/components/ui/card";
import { MaskedPhone } from "@/components/ui/masked-phone";
import { Timestamp } from "@/components/ui/timestamp";
import { DetailsTable } from "./details-table";
import {
  Actor,
  credentialHref,
  Id,
  integrationHref,
  Named,
  Target,
  type ApiEvent,
} from "./event-parties";
import { OutcomeBadge } from "./outcome-badge";

// proxy.* actions that are not a Twilio operation (their details name the operation).
const PROXY_OUTCOMES = new Set(["denied", "rate_limited", "pumping_suspected"]);

function operationOf(e: ApiEvent): string | null {
  if (typeof e.details.operation === "string") return e.details.operation;
  const [area, name] = e.action.split(".");
  return area === "proxy" && name && !PROXY_OUTCOMES.has(name) ? name : null;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="border-b border-slate-100 py-2 sm:grid sm:grid-cols-[11rem_1fr] sm:gap-4">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-0.5 text-sm break-words sm:mt-0">{children}</dd>
    </div>
  );
}

/** An audit event as a person reads it: labelled facts, related things linked, raw JSON last. */
export function EventDetails({
  event: e,
  tenantId,
  related,
}: {
  event: ApiEvent;
  tenantId: string;
  related: RelatedNames;
}) {
  const credentialId = typeof e.details.credential_id === "string" ? e.details.credential_id : null;
  const version = e.details.credential_version;
  const operation = operationOf(e);
  return (
    <div className="space-y-4">
      <Card>
        <dl data-testid="event-facts">
          <Row label="When">
            <Timestamp value={e.occurred_at} precision="second" />
          </Row>
          <Row label="Action">
            <Id>{e.action}</Id>
          </Row>
          <Row label="Outcome">
            <OutcomeBadge outcome={e.outcome} />
          </Row>
          <Row label="Actor">
            <Actor e={e} tenantId={tenantId} related={related} />
          </Row>
          <Row label="Target">
            <Target e={e} tenantId={tenantId} related={related} />
          </Row>
          {e.integration_id ? (
            <Row label="Integration">
              <Named
                name={related.integrations[e.integration_id]}
                id={e.integration_id}
                href={integrationHref(tenantId, e.integration_id)}
              />
            </Row>
          ) : null}
          {credentialId ? (
            <Row label="Credential">
              <Named
                name={related.credentials[credentialId]}
                id={credentialId}
                href={credentialHref(tenantId, credentialId)}
              />
              {typeof version === "number" ? <> · version {version}</> : null}
            </Row>
          ) : null}
          {operation ? (
            <Row label="Operation">
              <Id>{operation}</Id>
            </Row>
          ) : null}
          {e.destination_last2 ? (
            <Row label="Destination">
              <MaskedPhone value={e.destination_last2} />
            </Row>
          ) : null}
          <Row label="IP address">{e.ip ? <Id>{e.ip}</Id> : "—"}</Row>
          <Row label="User agent">{e.user_agent ?? "—"}</Row>
          <Row label="Request id">{e.request_id ? <Id>{e.request_id}</Id> : "—"}</Row>
          <Row label="Chain position">Event #{e.seq} of this tenant&apos;s chain</Row>
          <Row label="Hash">
            <Id>{e.hash}</Id>
          </Row>
          <Row label="Previous hash">
            <Id>{e.prev_hash}</Id>
          </Row>
          <Row label="Event id">
            <Id>{e.id}</Id>
          </Row>
        </dl>
      </Card>
      <Card title="Details">
        <DetailsTable details={e.details} />
        <details className="mt-4">
          <summary className="cursor-pointer text-sm font-medium text-slate-700">
            Raw event (JSON)
          </summary>
          <pre className="mt-2 rounded bg-slate-100 p-3 font-mono text-xs break-all whitespace-pre-wrap text-slate-800">
            {JSON.stringify(e, null, 2)}
          </pre>
        </details>
      </Card>
    </div>
  );
}
