import { headers } from "next/headers";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { MaskedPhone } from "@/components/ui/masked-phone";
import { Table, TableBody, TableCell, TableHead, TableRow } from "@/components/ui/table";
import { Timestamp } from "@/components/ui/timestamp";
import { ForwardingForm, ReplayForm } from "@/components/webhooks/webhook-forms";
import { ForwardingStatusNote } from "@/components/webhooks/forwarding-status";
import { IntakeAuthForm, SignatureSecretNote } from "@/components/webhooks/intake-auth-form";
import { IntakeUrls } from "@/components/webhooks/intake-urls";
import { listCredentials } from "@/lib/features/vault/queries";
import { listClientKeys } from "@/lib/platform/keys/client-keys";
import { listIntegrations } from "@/lib/features/integrations/queries";
import { recentMessages } from "@/lib/features/proxy/messages";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";
import { publicOrigin } from "@/lib/features/webhooks/public-url";
import { forwardingStatus, intakeUrls, recentEvents } from "@/lib/features/webhooks/queries";

export const metadata = { title: "Webhooks" };

const EVENT_COLUMNS = ["Received (UTC)", "Kind", "SID / status", "Signature", "Delivery"];

export default async function WebhooksPage({ params }: PageProps<"/t/[tenantId]/webhooks">) {
  const ctx = await tenantPage((await params).tenantId, "tenant:read");
  // The same origin the intake checks signatures against (public-url.ts).
  const origin = publicOrigin(await headers());
  const canWrite = ctx.can("integrations:write");
  const [integrations, clientKeys, credentials] = await Promise.all([
    listIntegrations(ctx.tenantId),
    listClientKeys(ctx.tenantId),
    listCredentials(ctx.tenantId),
  ]);
  const forwarding = await forwardingStatus(ctx.tenantId);
  const details = await Promise.all(
    integrations.map(async (i) => ({
      integration: i,
      events: await recentEvents(ctx.tenantId, i.id),
      messages: await recentMessages(ctx.tenantId, i.id, 10),
    })),
  );
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Twilio's calls to PQSeal are accepted only with a valid X-Twilio-Signature, stored sealed, and forwarded as HybridCryptoEnvelopes."
      />
      <div className="space-y-6">
        {integrations.length === 0 ? (
          <Card>
            <p className="text-sm text-slate-600">
              No integrations yet.{" "}
              <Link className="text-brand-700 underline" href={`/t/${ctx.tenantId}/integrations`}>
                Create one
              </Link>
              .
            </p>
          </Card>
        ) : null}
        {details.map(({ integration: i, events, messages }) => (
          <Card key={i.id} title={i.name}>
            <div className="space-y-4 text-sm">
              <div>
                <p className="mb-1 font-medium">Intake URLs (paste into the Twilio Console)</p>
                {!i.webhook_credential_id ? (
                  <p className="text-xs text-red-700">
                    No webhook signing secret: every call is refused. Choose one on the integration
                    page.
                  </p>
                ) : null}
                <SignatureSecretNote
                  credential={credentials.find((c) => c.id === i.webhook_credential_id) ?? null}
                />
                <IntakeUrls
                  integrationId={i.id}
                  integrationName={i.name}
                  urls={intakeUrls(i.id, origin)}
                />
                {canWrite ? (
                  <IntakeAuthForm
                    tenantId={ctx.tenantId}
                    integrationId={i.id}
                    username={i.intake_auth_username}
                  />
                ) : null}
              </div>
              <div>
                <p className="mb-1 font-medium">Forwarding</p>
                <p className="text-xs text-slate-600">
                  {i.forward_url
                    ? `To ${i.forward_url}`
                    : "No forward URL (set it on the integration page)."}
                </p>
                <ForwardingStatusNote
                  status={forwarding.find((f) => f.integrationId === i.id)}
                  tenantId={ctx.tenantId}
                  canWrite={canWrite}
                />
                {canWrite && i.forward_url && clientKeys.length ? (
                  <ForwardingForm
                    tenantId={ctx.tenantId}
                    integrationId={i.id}
                    clientKeys={clientKeys
                      .filter((k) => !k.revokedAt)
                      .map((k) => ({ id: k.id, name: k.name }))}
                  />
                ) : null}
              </div>
              <div>
                <div className="mb-1 flex items-center justify-between">
                  <p className="font-medium">Recent events</p>
                  {canWrite ? (
                    <ReplayForm
                      tenantId={ctx.tenantId}
                      integrationId={i.id}
                      label="Replay all dead-lettered"
                    />
                  ) : null}
                </div>
                <Table label="Webhook events" dense className="min-w-[640px]">
                  <TableHead columns={EVENT_COLUMNS} />
                  <TableBody>
                    {events.map(({ event: e, delivery: d, attempts }) => (
                      <TableRow key={e.id} data-testid="webhook-event-row">
                        <TableCell>
                          <Timestamp value={e.receivedAt} precision="second" />
                        </TableCell>
                        <TableCell>{e.kind}</TableCell>
                        <TableCell className="font-mono">
                          {String(e.summary.sid ?? "—")}{" "}
                          {String(e.summary.status ?? e.summary.event_type ?? "")}
                          {e.summary.error_code ? ` (${e.summary.error_code})` : ""}
                        </TableCell>
                        <TableCell>valid ({e.validation} secret)</TableCell>
                        <TableCell>
                          {d ? (
                            <>
                              {d.state} ·{" "}
                              {attempts.map((a) => a.statusCode ?? a.error ?? "error").join(", ") ||
                                "no attempts yet"}
                              {canWrite && d.state !== "delivered" ? (
                                <div className="mt-1">
                                  <ReplayForm
                                    tenantId={ctx.tenantId}
                                    integrationId={i.id}
                                    deliveryId={d.id}
                                    label="Replay"
                                  />
                                </div>
                              ) : null}
                            </>
                          ) : (
                            "not forwarded"
                          )}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
                {events.length === 0 ? (
                  <p className="py-2 text-xs text-slate-500">No events yet.</p>
                ) : null}
              </div>
              <div>
                <p className="mb-1 font-medium">Messages sent through the proxy</p>
                <ul className="space-y-1 text-xs">
                  {messages.map((m) => (
                    <li key={m.sid} data-testid="message-row">
                      <span className="font-mono">{m.sid}</span> to{" "}
                      <MaskedPhone value={m.toLast2} /> · {m.status}
                      {m.errorCode ? ` (error ${m.errorCode})` : ""} ·{" "}
                      <Timestamp value={m.updatedAt} precision="second" />
                    </li>
                  ))}
                  {messages.length === 0 ? <li className="text-slate-500">None yet.</li> : null}
                </ul>
              </div>
            </div>
          </Card>
        ))}
      </div>
    </>
  );
}
