import { AuditStreamsCard } from "@/components/audit-streams/audit-streams-card";
import { CheckpointForwardForm } from "@/components/settings/checkpoint-forward-form";
import { MfaPolicyForm } from "@/components/settings/mfa-policy-form";
import { RetentionForm } from "@/components/settings/retention-form";
import {
  KmsForm,
  RewrapForm,
  RotateSigningKeyForm,
  RotateVaultKeyForm,
} from "@/components/settings/key-forms";
import { KeyList } from "@/components/settings/key-list";
import { SigningKeyList } from "@/components/settings/signing-key-list";
import { SsoMappingsCard } from "@/components/sso/sso-mappings-card";
import { Card, PageHeader } from "@/components/ui/card";
import { getSettingsOverview } from "@/lib/features/settings/queries";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";

export const metadata = { title: "Settings" };

export default async function SettingsPage({ params }: PageProps<"/t/[tenantId]/settings">) {
  const ctx = await tenantPage((await params).tenantId, "tenant:read");
  const { tenant, signingKeys, vaultKeys, kms, switchoverHours } = await getSettingsOverview(ctx);
  const canWrite = ctx.can("settings:write");
  return (
    <>
      <PageHeader title="Settings" description={`${tenant.name} · ${tenant.id}`} />
      <div className="space-y-6">
        <Card title="Sign-in security">
          {ctx.can("owners:manage") ? (
            <MfaPolicyForm tenantId={ctx.tenantId} requireMfa={tenant.requireMfa} />
          ) : (
            <p className="text-sm">
              {tenant.requireMfa
                ? "Every member needs a second factor."
                : "A second factor is optional."}
            </p>
          )}
          <p className="mt-2 text-xs text-slate-500">
            Members without a passkey or authenticator app are sent to add one before anything else.
            Sensitive actions ask for a second factor (or the password, without one) used within the
            last few minutes.
          </p>
        </Card>
        {ctx.can("owners:manage") ? <SsoMappingsCard ctx={ctx} /> : null}
        <Card title="Audit retention">
          {canWrite ? (
            <RetentionForm tenantId={ctx.tenantId} days={tenant.auditRetentionDays} />
          ) : (
            <p className="text-sm">{tenant.auditRetentionDays} days</p>
          )}
          <p className="mt-2 text-xs text-slate-500">
            Older events are purged daily; the chain stays verifiable from the last purged event
            (the anchor).
          </p>
        </Card>
        <Card title="Audit checkpoints off the database">
          {canWrite ? (
            <CheckpointForwardForm tenantId={ctx.tenantId} url={tenant.checkpointForwardUrl} />
          ) : (
            <p className="text-sm">{tenant.checkpointForwardUrl ?? "Not forwarded"}</p>
          )}
          <p className="mt-2 text-xs text-slate-500">
            Every signed checkpoint is also POSTed here (JSON, retried until delivered), so a copy
            exists outside the database: deleting events or checkpoints can then be shown.
          </p>
        </Card>
        <AuditStreamsCard ctx={ctx} />
        <Card title="Signing keys (ML-DSA-65)">
          <p className="mb-2 text-xs text-slate-500">
            Sign response envelopes and audit checkpoints. Clients pin the SHA-256 fingerprint (also
            served at GET /api/v2/keys). A new key is published first, endorsed by the one before,
            and signs from its switch-over; SDK clients follow the endorsements on their own. Older
            versions keep verifying.
          </p>
          <SigningKeyList keys={signingKeys} />
          {canWrite ? (
            <div className="mt-3">
              <RotateSigningKeyForm tenantId={ctx.tenantId} switchoverHours={switchoverHours} />
            </div>
          ) : null}
        </Card>
        <Card title="Vault keys (ML-KEM-768)">
          <p className="mb-2 text-xs text-slate-500">
            Credentials are sealed to the current version. Rotating moves every sealed credential to
            the new version (re-wrap job).
          </p>
          <KeyList keys={vaultKeys} testId="vault-fingerprint" />
          {canWrite ? (
            <div className="mt-3">
              <RotateVaultKeyForm tenantId={ctx.tenantId} />
            </div>
          ) : null}
        </Card>
        <Card title="Key management (KMS)">
          <p className="mb-3 text-sm text-slate-700">
            Current provider: <strong data-testid="kms-provider">{kms.provider}</strong>
            {kms.keyArn ? <span className="ml-1 font-mono text-xs">{kms.keyArn}</span> : null}
          </p>
          {canWrite ? (
            <div className="space-y-4">
              <KmsForm tenantId={ctx.tenantId} provider={kms.provider} keyArn={kms.keyArn} />
              <RewrapForm tenantId={ctx.tenantId} />
            </div>
          ) : null}
        </Card>
      </div>
    </>
  );
}
