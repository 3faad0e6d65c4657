"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/platform/request-context/tenant-action";
import { configureForwardingAction, replayAction } from "@/lib/features/webhooks/actions";

export function ReplayForm({
  tenantId,
  integrationId,
  deliveryId,
  label,
}: {
  tenantId: string;
  integrationId: string;
  deliveryId?: string;
  label: string;
}) {
  const [state, action, pending] = useActionState<ActionState, FormData>(replayAction, {});
  return (
    <form action={action} className="inline-flex items-center gap-2">
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="integrationId" value={integrationId} />
      {deliveryId ? <input type="hidden" name="deliveryId" value={deliveryId} /> : null}
      <Button type="submit" variant="secondary" disabled={pending} className="px-2 py-1 text-xs">
        {label}
      </Button>
      <FormMessage message={state.message} ok={state.ok} />
    </form>
  );
}

export function ForwardingForm({
  tenantId,
  integrationId,
  clientKeys,
}: {
  tenantId: string;
  integrationId: string;
  clientKeys: { id: string; name: string }[];
}) {
  const [state, action, pending] = useActionState<ActionState<{ secret: string }>, FormData>(
    configureForwardingAction,
    {},
  );
  return (
    <form action={action} className="space-y-2 text-sm">
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="integrationId" value={integrationId} />
      <label className="block">
        <span className="font-medium text-slate-700">Encrypt forwarded events to client key</span>
        <select
          name="clientKeyId"
          className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-2 text-sm"
        >
          {clientKeys.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name} ({k.id})
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" variant="secondary" disabled={pending}>
        Generate forwarding key
      </Button>
      {state.ok && state.data ? (
        <div role="status" className="rounded-md bg-emerald-50 p-3 text-emerald-900">
          <p className="mb-1 font-medium">
            Copy this forwarding secret now; it is shown once. The receiver derives the envelope
            HMAC key from it exactly as from an API key (ENVELOPE.md §5).
          </p>
          <input
            readOnly
            aria-label="Forwarding secret"
            value={state.data.secret}
            className="w-full rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs"
          />
        </div>
      ) : (
        <FormMessage message={state.message} />
      )}
    </form>
  );
}
