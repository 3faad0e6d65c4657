import Link from "next/link";
import { Timestamp } from "@/components/ui/timestamp";
import type { ForwardingStatus } from "@/lib/features/webhooks/queries";
import { EnableForwardingButton } from "./webhook-forms";

const REASONS: Record<string, string> = {
  receiver_gone: "the receiver answered 410 Gone",
  failing_too_long: "every delivery failed for too long",
};

/** Why forwarding to an integration stopped, in words. */
const disabledReason = (reason: string | null) => REASONS[reason ?? ""] ?? "it was disabled";

/** An integration's forwarding health on the Webhooks page: disabled, failing, rotating. */
export function ForwardingStatusNote({
  status,
  tenantId,
  canWrite,
}: {
  status: ForwardingStatus | undefined;
  tenantId: string;
  canWrite: boolean;
}) {
  if (!status) return null;
  return (
    <div className="mt-1 space-y-1 text-xs" data-testid="forwarding-status">
      {status.disabledAt ? (
        <div role="alert" className="rounded border border-red-200 bg-red-50 p-2 text-red-800">
          <p>
            Forwarding disabled <Timestamp value={status.disabledAt} />:{" "}
            {disabledReason(status.disabledReason)}. New events are kept but not sent; stopped
            deliveries are dead-lettered.
          </p>
          {canWrite ? (
            <div className="mt-1">
              <EnableForwardingButton tenantId={tenantId} integrationId={status.integrationId} />
            </div>
          ) : null}
        </div>
      ) : status.failingSince ? (
        <p className="text-amber-800">
          Deliveries failing since <Timestamp value={status.failingSince} />; forwarding is disabled
          if they keep failing.
        </p>
      ) : null}
      {status.previousValidUntil ? (
        <p className="text-slate-600">
          The previous forwarding secret still signs until{" "}
          <Timestamp value={status.previousValidUntil} />.
        </p>
      ) : null}
    </div>
  );
}

/** The dashboard's word on integrations whose forwarding PQSeal disabled. */
export function ForwardingAttention({
  tenantId,
  disabled,
}: {
  tenantId: string;
  disabled: ForwardingStatus[];
}) {
  if (disabled.length === 0) return null;
  return (
    <div
      role="alert"
      className="mb-4 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800"
      data-testid="attention-forwarding"
    >
      <p className="font-medium">Webhook forwarding disabled</p>
      <ul className="mt-1 list-disc pl-5">
        {disabled.map((s) => (
          <li key={s.integrationId}>
            {s.name}: {disabledReason(s.disabledReason)} (
            <Timestamp value={s.disabledAt} />)
          </li>
        ))}
      </ul>
      <Link href={`/t/${tenantId}/webhooks`} className="mt-1 inline-block underline">
        Review on the Webhooks page
      </Link>
    </div>
  );
}
