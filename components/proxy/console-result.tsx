import Link from "next/link";
import { Timestamp } from "@/components/ui/timestamp";
import { cn } from "@/components/ui/cn";
import { waitText } from "@/lib/features/proxy/console-operations";
import type { ConsoleResult } from "@/lib/features/proxy/test-console";

const sidOf = (result: unknown) => {
  const sid = (result as { data?: { sid?: unknown } } | null)?.data?.sid;
  return typeof sid === "string" ? sid : null;
};

/**
 * A console run as a person reads it: what it came to (a wrong code is not a success), what to
 * do and when to retry when it failed, the Twilio SID and the audit event, and the decrypted
 * answer as collapsible JSON.
 */
export function ConsoleResultPanel({
  tenantId,
  result,
}: {
  tenantId: string;
  result: ConsoleResult;
}) {
  const { outcome } = result;
  const sid = sidOf(result.result);
  return (
    <section
      aria-label="Result"
      className="space-y-2 rounded-md border border-slate-200 p-3 text-sm"
      data-testid="console-result"
    >
      <p
        role={outcome.ok ? "status" : "alert"}
        data-testid="console-outcome"
        data-ok={outcome.ok}
        className={cn(
          "rounded-md px-3 py-2 font-medium",
          outcome.ok ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-700",
        )}
      >
        {outcome.headline}
      </p>
      {outcome.error ? (
        <div className="space-y-1">
          <p>{outcome.error.message}</p>
          {outcome.error.remediation ? (
            <p className="text-slate-700">What to do: {outcome.error.remediation}</p>
          ) : null}
        </div>
      ) : null}
      {outcome.retry ? (
        <p data-testid="console-retry" className="font-medium text-slate-900">
          Try again in {outcome.retry.approximate ? "about " : ""}
          {waitText(outcome.retry.afterSeconds)}, at{" "}
          <Timestamp value={outcome.retry.at} precision="second" relative={false} />.
        </p>
      ) : null}
      <p className="text-slate-600">
        HTTP {result.status} ·{" "}
        {result.verified
          ? "envelope verified (ML-DSA-65 and HMAC-SHA-512) and decrypted"
          : "refused by PQSeal before an envelope was made"}
      </p>
      {sid ? (
        <p>
          Twilio SID:{" "}
          <span className="font-mono break-all" data-testid="twilio-sid">
            {sid}
          </span>
        </p>
      ) : null}
      {result.auditEventId ? (
        <p>
          Audit event:{" "}
          {result.auditEventReadable ? (
            <Link
              className="text-brand-700 font-mono break-all underline"
              href={`/t/${tenantId}/audit/${result.auditEventId}`}
              data-testid="audit-event-link"
            >
              {result.auditEventId}
            </Link>
          ) : (
            <span className="font-mono break-all" data-testid="audit-event-id">
              {result.auditEventId}
            </span>
          )}
        </p>
      ) : null}
      <details>
        <summary className="cursor-pointer text-slate-700">Response JSON</summary>
        {/* Wrapped, not scrolled: no scroll region at 390 px. */}
        <pre className="mt-2 rounded bg-slate-50 p-2 text-xs break-all whitespace-pre-wrap">
          {JSON.stringify(result.result, null, 2)}
        </pre>
      </details>
    </section>
  );
}
