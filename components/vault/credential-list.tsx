import { Timestamp } from "@/components/ui/timestamp";
import type { CredentialMetadata } from "@/lib/features/vault/queries";
import { DeleteCredentialForm, RotateCredentialForm, VerifyCredentialButton } from "./vault-forms";

/** The sealed credentials: metadata only (the values are never shown again). */
export function CredentialList({
  tenantId,
  credentials,
  canWrite,
}: {
  tenantId: string;
  credentials: CredentialMetadata[];
  canWrite: boolean;
}) {
  if (credentials.length === 0) {
    return <p className="text-sm text-slate-600">Nothing sealed yet.</p>;
  }
  return (
    <ul className="divide-y divide-slate-200">
      {credentials.map((c) => (
        <li key={c.id} className="space-y-2 py-3" data-testid="credential-row">
          <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
            <div className="min-w-0 text-sm">
              <p className="font-medium">
                {c.name} <span className="text-xs text-slate-500">{c.type}</span>
              </p>
              <p className="font-mono text-xs break-all text-slate-500">{c.id}</p>
              {c.account_sid_masked ? (
                <p className="text-xs text-slate-600" data-testid="credential-twilio">
                  Account <span className="font-mono">{c.account_sid_masked}</span> ·{" "}
                  {c.verified_at ? (
                    <>
                      Last verified <Timestamp value={c.verified_at} />
                    </>
                  ) : (
                    "Not verified with Twilio yet"
                  )}
                </p>
              ) : null}
              <p className="text-xs text-slate-500">
                version {c.version} · fingerprint <span className="font-mono">{c.fingerprint}</span>{" "}
                · updated <Timestamp value={c.updated_at} /> · last used{" "}
                <Timestamp value={c.last_used_at} fallback="never" />
                {c.previous_versions_valid_until[0] ? (
                  <>
                    {" "}
                    · previous version valid until{" "}
                    <Timestamp value={c.previous_versions_valid_until[0]} />
                  </>
                ) : null}
              </p>
            </div>
            {canWrite ? (
              <div className="flex flex-wrap items-start gap-2">
                {c.account_sid_masked ? (
                  <VerifyCredentialButton tenantId={tenantId} credentialId={c.id} name={c.name} />
                ) : null}
                <DeleteCredentialForm tenantId={tenantId} credentialId={c.id} name={c.name} />
              </div>
            ) : null}
          </div>
          {canWrite ? (
            <RotateCredentialForm
              tenantId={tenantId}
              credentialId={c.id}
              type={c.type}
              graceSeconds={c.grace_seconds}
            />
          ) : null}
        </li>
      ))}
    </ul>
  );
}
