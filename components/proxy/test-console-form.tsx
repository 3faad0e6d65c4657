"use client";
import Link from "next/link";
import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { runConsoleAction } from "@/lib/features/proxy/actions";
import type { ConsoleResult } from "@/lib/features/proxy/test-console";
import type { ActionState } from "@/lib/platform/request-context/tenant-action";

const OPS = [
  ["send_sms", "Send SMS"],
  ["make_call", "Make call"],
  ["create_verification", "Start verification"],
  ["check_verification", "Check code"],
  ["list_messages", "List messages"],
] as const;
type Op = (typeof OPS)[number][0];

export function ConsoleForm({
  tenantId,
  integrations,
}: {
  tenantId: string;
  integrations: { id: string; name: string; allowed: string[] }[];
}) {
  const [op, setOp] = useState<Op>("send_sms");
  const [state, action, pending] = useActionState<ActionState<ConsoleResult>, FormData>(
    runConsoleAction,
    {},
  );
  const result = state.data;
  return (
    <div className="space-y-4">
      <div role="tablist" className="flex flex-wrap gap-2">
        {OPS.map(([value, label]) => (
          <button
            key={value}
            type="button"
            role="tab"
            aria-selected={op === value}
            onClick={() => setOp(value)}
            className={`rounded-md border px-3 py-1.5 text-sm ${op === value ? "border-brand-600 bg-brand-600 text-white" : "border-slate-300 bg-white"}`}
          >
            {label}
          </button>
        ))}
      </div>
      <form action={action} className="space-y-3" key={op}>
        <input type="hidden" name="tenantId" value={tenantId} />
        <input type="hidden" name="operation" value={op} />
        <label className="block text-sm">
          <span className="font-medium text-slate-700">Integration</span>
          <select
            name="integration_id"
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-2 text-sm"
          >
            {integrations.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name} ({i.allowed.join(", ") || "no operations"})
              </option>
            ))}
          </select>
        </label>
        {op === "list_messages" ? (
          <>
            <Field label="To (optional)" name="to" placeholder="+14155550100" />
            <Field label="Page size" name="page_size" type="number" defaultValue={20} min={1} />
          </>
        ) : (
          <Field label="To" name="to" required placeholder="+14155550100" />
        )}
        {op === "send_sms" ? (
          <>
            <Field label="From (optional)" name="from" placeholder="integration default" />
            <Field label="Message" name="body" required />
          </>
        ) : null}
        {op === "make_call" ? (
          <>
            <Field label="From (optional)" name="from" placeholder="integration default" />
            <Field
              label="TwiML"
              name="twiml"
              required
              defaultValue="<Response><Say>Hello from PQSeal</Say></Response>"
            />
          </>
        ) : null}
        {op === "create_verification" ? (
          <label className="block text-sm">
            <span className="font-medium text-slate-700">Channel</span>
            <select
              name="channel"
              className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-2 text-sm"
            >
              {["sms", "call", "email", "whatsapp"].map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
        ) : null}
        {op === "check_verification" ? (
          <Field
            label="Code"
            name="code"
            required
            inputMode="numeric"
            autoComplete="one-time-code"
          />
        ) : null}
        <Button type="submit" disabled={pending}>
          Run {op}
        </Button>
      </form>
      <FormMessage message={state.message} ok={state.ok} />
      {result ? (
        <section
          className="space-y-2 rounded-md border border-slate-200 p-3 text-sm"
          data-testid="console-result"
        >
          <p>
            HTTP {result.status} · {result.success ? "succeeded" : "failed"} · envelope verified
            (ML-DSA-65 and HMAC-SHA-512) and decrypted
          </p>
          {(result.result as { data?: { sid?: string } }).data?.sid ? (
            <p>
              Twilio SID:{" "}
              <span className="font-mono" data-testid="twilio-sid">
                {(result.result as { data: { sid: string } }).data.sid}
              </span>
            </p>
          ) : null}
          {result.auditEventId ? (
            <p>
              Audit event:{" "}
              <Link
                className="text-brand-700 font-mono underline"
                href={`/t/${tenantId}/audit/${result.auditEventId}`}
              >
                {result.auditEventId}
              </Link>
            </p>
          ) : null}
          <pre className="overflow-x-auto rounded bg-slate-50 p-2 text-xs">
            {JSON.stringify(result.result, null, 2)}
          </pre>
        </section>
      ) : null}
    </div>
  );
}
