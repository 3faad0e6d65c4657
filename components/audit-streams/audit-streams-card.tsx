import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableRow } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/timestamp";
import { listStreams, type StreamView } from "@/lib/features/audit-streams/queries";
import type { TenantContext } from "@/lib/platform/request-context/resolve-tenant";
import {
  CreateStreamForm,
  DeleteStreamButton,
  RotateStreamSecretForm,
  StreamEnabledButton,
} from "./audit-stream-forms";

const KIND_LABELS: Record<StreamView["kind"], string> = {
  webhook: "HTTPS (NDJSON)",
  splunk: "Splunk HEC",
  s3: "S3 bucket",
};

function status(s: StreamView): string {
  if (!s.enabled) return "Disabled";
  if (s.consecutiveFailures > 0) return `Failing (${s.consecutiveFailures} in a row), retrying`;
  return s.lag > 0 ? "Catching up" : "Up to date";
}

/**
 * The tenant's audit streams to SIEMs and buckets with their health, and (settings:write) the
 * forms that add, disable, re-key and delete them.
 */
export async function AuditStreamsCard({ ctx }: { ctx: TenantContext }) {
  // Where the audit log goes is for those who may read it (owners, admins, auditors).
  if (!ctx.can("audit:read")) return null;
  const streams = await listStreams({ tenantId: ctx.tenantId });
  const canWrite = ctx.can("settings:write");
  return (
    <Card title="Audit streaming">
      <p className="mb-3 text-xs text-slate-500">
        Every new audit event, and every signed checkpoint, goes to each stream in order, at least
        once: a receiver de-duplicates by the event id. A receiver that fails is retried with a
        growing wait and never skipped; a disabled stream keeps its place. Secrets are shown only
        when made.
      </p>
      {streams.length > 0 ? (
        <Table label="Audit streams">
          <TableHead
            columns={[
              "Stream",
              "Destination",
              "Status",
              "Behind",
              "Last delivered",
              "Last error",
              "",
            ]}
          />
          <TableBody>
            {streams.map((s) => (
              <TableRow key={s.id}>
                <TableCell>
                  <div className="font-medium">{s.name}</div>
                  <div className="text-xs text-slate-500">{KIND_LABELS[s.kind]}</div>
                </TableCell>
                <TableCell className="font-mono text-xs break-all">{s.destination}</TableCell>
                <TableCell data-testid="audit-stream-status">{status(s)}</TableCell>
                <TableCell data-testid="audit-stream-lag">
                  {s.lag} event{s.lag === 1 ? "" : "s"}
                </TableCell>
                <TableCell className="text-xs">
                  <Timestamp value={s.lastDeliveredAt} fallback="Never" />
                </TableCell>
                <TableCell className="text-xs">
                  {s.lastError ? (
                    <>
                      <span className="font-mono">{s.lastError}</span>
                      <div>
                        <Timestamp value={s.lastErrorAt} />
                      </div>
                    </>
                  ) : (
                    "None"
                  )}
                </TableCell>
                <TableCell>
                  {canWrite ? (
                    <div className="flex flex-wrap items-start justify-end gap-2">
                      <StreamEnabledButton
                        tenantId={ctx.tenantId}
                        streamId={s.id}
                        name={s.name}
                        enabled={s.enabled}
                      />
                      <RotateStreamSecretForm
                        tenantId={ctx.tenantId}
                        streamId={s.id}
                        name={s.name}
                        kind={s.kind}
                      />
                      <DeleteStreamButton tenantId={ctx.tenantId} streamId={s.id} name={s.name} />
                    </div>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <p className="text-sm text-slate-600">No audit stream.</p>
      )}
      {canWrite ? (
        <div className="mt-4">
          <CreateStreamForm tenantId={ctx.tenantId} />
        </div>
      ) : null}
    </Card>
  );
}
