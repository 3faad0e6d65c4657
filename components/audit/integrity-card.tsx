import type { ChainStatus } from "@/lib/features/audit/chain-status";
import { Card } from "@/components/ui/card";
import { Timestamp } from "@/components/ui/timestamp";
import { ChainActions } from "./chain-actions";

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** The one statement of where the chain stands: its head, what is signed, what was verified. */
function Summary({ s }: { s: ChainStatus }) {
  if (s.headSeq === 0) return <>The audit log is empty.</>;
  const signed = s.checkpoint
    ? `last signed checkpoint #${s.checkpoint.seq} (${plural(s.eventsSinceCheckpoint, "event")} since)`
    : "no signed checkpoint yet";
  return (
    <>
      Chain head: event #{s.headSeq} · {signed}
    </>
  );
}

function Verification({ v }: { v: NonNullable<ChainStatus["lastVerification"]> }) {
  return (
    <>
      {v.ok
        ? `Intact up to event #${v.headSeq ?? "?"}`
        : `Broken at event #${v.firstBrokenSeq ?? "?"}`}
      , verified <Timestamp value={v.at} precision="second" />
      {v.by ? ` by ${v.by}` : ""}
    </>
  );
}

export function IntegrityCard({ tenantId, status }: { tenantId: string; status: ChainStatus }) {
  const { checkpoint, lastVerification } = status;
  return (
    <Card title="Integrity">
      <p className="mb-3 text-sm font-medium text-slate-900" data-testid="chain-status">
        <Summary s={status} />
      </p>
      <dl className="mb-4 grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]">
        <dt className="text-slate-600">Last signed checkpoint</dt>
        <dd data-testid="last-checkpoint">
          {checkpoint ? (
            <>
              Event #{checkpoint.seq}, signed{" "}
              <Timestamp value={checkpoint.signedAt} precision="second" /> with key{" "}
              <code className="break-all">{checkpoint.fingerprint.slice(0, 16)}…</code> (
              {checkpoint.algorithm})
            </>
          ) : (
            "None yet: checkpoints are signed on a schedule while the log grows, and at each export."
          )}
        </dd>
        <dt className="text-slate-600">Last verification</dt>
        <dd data-testid="last-verification">
          {lastVerification ? <Verification v={lastVerification} /> : "Not verified yet."}
        </dd>
      </dl>
      <ChainActions tenantId={tenantId} />
      <p className="mt-3 text-xs text-slate-600">
        Verify an export offline with{" "}
        <code className="break-all">
          npm run audit:verify -- file.jsonl --fingerprint &lt;key fingerprint&gt;
        </code>
        .
      </p>
    </Card>
  );
}
