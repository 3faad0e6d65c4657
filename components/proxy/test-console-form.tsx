"use client";
import Link from "next/link";
import { Fragment, useState } from "react";
import { TenantForm } from "@/components/ui/action-form";
import { cn } from "@/components/ui/cn";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { runConsoleAction } from "@/lib/features/proxy/actions";
import type { ConsoleResult } from "@/lib/features/proxy/test-console";

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
            className={cn(
              "rounded-md border px-3 py-1.5 text-sm",
              op === value
                ? "border-brand-600 bg-brand-600 text-white"
                : "border-slate-300 bg-white",
            )}
          >
            {label}
          </button>
        ))}
      </div>
      <TenantForm
        action={runConsoleAction}
        tenantId={tenantId}
        hiddenFields={{ operation: op }}
        className="space-y-3"
        result={(state) =>
          state.data ? <ConsoleOutcome tenantId={tenantId} result={state.data} /> : null
        }
      >
        {/* A new key per operation starts its inputs afresh; the last result stays. */}
        <Fragment key={op}>
          <Select label="Integration" name="integration_id">
            {integrations.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name} ({i.allowed.join(", ") || "no operations"})
              </option>
            ))}
          </Select>
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
            <Select label="Channel" name="channel">
              {["sms", "call", "email", "whatsapp"].map((c) => (
                <option key={c}>{c}</option>
              ))}
            </Select>
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
          <SubmitButton>Run {op}</SubmitButton>
        </Fragment>
      </TenantForm>
    </div>
  );
}

function ConsoleOutcome({ tenantId, result }: { tenantId: string; result: ConsoleResult }) {
  return (
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
  );
}
