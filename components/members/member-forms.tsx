"use client";
import {
  changeRoleAction,
  createInviteAction,
  endMemberSessionsAction,
  issueResetLinkAction,
  removeMemberAction,
  revokeInviteAction,
  unlockMemberAction,
} from "@/lib/features/members/actions";
import { useId } from "react";
import { ROLE_DESCRIPTIONS, type Role } from "@/lib/features/members/roles";
import { TenantForm } from "@/components/ui/action-form";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { TenantActionButton } from "@/components/ui/tenant-action-button";

function RoleOptions({ roles }: { roles: readonly string[] }) {
  return roles.map((r) => (
    <option key={r} value={r}>
      {r}
    </option>
  ));
}

export function InviteForm({ tenantId, roles }: { tenantId: string; roles: Role[] }) {
  return (
    <TenantForm
      action={createInviteAction}
      tenantId={tenantId}
      className="space-y-3"
      result={(state) =>
        state.ok && state.data && typeof window !== "undefined" ? (
          <OneTimeSecret label="Invite link" value={`${window.location.origin}${state.data.path}`}>
            <p className="mb-1 font-medium">
              Single-use invite link for a new {state.data.role} (valid 72 hours, shown once):
            </p>
          </OneTimeSecret>
        ) : null
      }
    >
      <div className="flex flex-wrap items-end gap-2">
        <Select label="Role" name="role" defaultValue="operator" className="w-auto">
          <RoleOptions roles={roles} />
        </Select>
        <SubmitButton pendingLabel="Creating…">Create invite link</SubmitButton>
      </div>
      <RoleDescriptionList roles={roles} />
    </TenantForm>
  );
}

/** What each role can do (from the permission table), beside the choice of a role. */
function RoleDescriptionList({ roles }: { roles: readonly Role[] }) {
  const id = useId();
  return (
    <div className="rounded-md border border-slate-200 p-3 text-xs">
      <p className="font-medium text-slate-700" id={id}>
        What each role can do
      </p>
      <dl className="mt-1 space-y-1" aria-labelledby={id}>
        {roles.map((r) => (
          <div key={r} className="sm:flex sm:gap-2" data-testid="role-description">
            <dt className="w-20 shrink-0 font-medium text-slate-800 capitalize">{r}</dt>
            <dd className="text-slate-600">{ROLE_DESCRIPTIONS[r]}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export function RoleForm(props: {
  tenantId: string;
  membershipId: string;
  role: string;
  roles: string[];
  label: string;
}) {
  return (
    <TenantForm
      action={changeRoleAction}
      tenantId={props.tenantId}
      hiddenFields={{ membershipId: props.membershipId }}
      className="flex flex-wrap items-center gap-2"
    >
      <Select
        label={`Role of ${props.label}`}
        hideLabel
        name="role"
        defaultValue={props.role}
        className="w-auto"
      >
        <RoleOptions roles={props.roles} />
      </Select>
      <SubmitButton variant="secondary">Save role</SubmitButton>
    </TenantForm>
  );
}

export function RemoveMemberForm({
  tenantId,
  membershipId,
  label,
}: {
  tenantId: string;
  membershipId: string;
  label: string;
}) {
  return (
    <TenantActionButton
      action={removeMemberAction}
      tenantId={tenantId}
      hiddenFields={{ membershipId }}
      variant="danger"
      buttonProps={{ "aria-label": `Remove ${label}` }}
      confirm={{
        title: `Remove ${label}?`,
        description:
          "They lose access to this tenant at once; their account, and their other tenants, stay. This cannot be undone: to bring them back, send a new invite link and choose their role again. What they did stays in the audit log.",
        confirmLabel: "Remove member",
      }}
    >
      Remove
    </TenantActionButton>
  );
}

export function RevokeInviteForm({ tenantId, inviteId }: { tenantId: string; inviteId: string }) {
  return (
    <TenantActionButton
      action={revokeInviteAction}
      tenantId={tenantId}
      hiddenFields={{ inviteId }}
      confirm={{
        title: "Revoke this invite?",
        description: "The link stops working. Whoever has it can no longer join this tenant.",
        confirmLabel: "Revoke invite",
      }}
    >
      Revoke
    </TenantActionButton>
  );
}

type MemberProps = { tenantId: string; membershipId: string; label: string };

/** A one-time password reset link for a member, shown once for the caller to pass on. */
export function ResetLinkForm({ tenantId, membershipId, label }: MemberProps) {
  return (
    <TenantActionButton
      action={issueResetLinkAction}
      tenantId={tenantId}
      hiddenFields={{ membershipId }}
      buttonProps={{ "aria-label": `Reset link for ${label}` }}
      className="basis-full sm:basis-auto"
      result={(state) =>
        state.ok && state.data && typeof window !== "undefined" ? (
          <OneTimeSecret
            label={`Password reset link for ${label}`}
            value={`${window.location.origin}${state.data.path}`}
          >
            <p className="mb-1 font-medium">
              Single-use password reset link for {label} (valid 1 hour, shown once). Setting a new
              password signs them out everywhere:
            </p>
          </OneTimeSecret>
        ) : null
      }
    >
      Reset link
    </TenantActionButton>
  );
}

export function UnlockMemberForm({ tenantId, membershipId, label }: MemberProps) {
  return (
    <TenantActionButton
      action={unlockMemberAction}
      tenantId={tenantId}
      hiddenFields={{ membershipId }}
      buttonProps={{ "aria-label": `Unlock ${label}` }}
    >
      Unlock
    </TenantActionButton>
  );
}

export function EndSessionsForm({ tenantId, membershipId, label }: MemberProps) {
  return (
    <TenantActionButton
      action={endMemberSessionsAction}
      tenantId={tenantId}
      hiddenFields={{ membershipId }}
      variant="danger"
      buttonProps={{ "aria-label": `End sessions of ${label}` }}
      confirm={{
        title: `End every session of ${label}?`,
        description:
          "They are signed out on every device at once and must sign in again. Their role and access stay as they are.",
        confirmLabel: "End sessions",
      }}
    >
      End sessions
    </TenantActionButton>
  );
}
