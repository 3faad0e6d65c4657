"use client";
import { useActionState } from "react";
import {
  changeRoleAction,
  createInviteAction,
  removeMemberAction,
  revokeInviteAction,
} from "@/lib/features/members/actions";
import type { ActionState } from "@/lib/platform/request-context/tenant-action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

const selectClass = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

export function InviteForm({ tenantId, roles }: { tenantId: string; roles: string[] }) {
  const [state, action, pending] = useActionState<
    ActionState<{ path: string; role: string }>,
    FormData
  >(createInviteAction, {});
  const link =
    state.data && typeof window !== "undefined"
      ? `${window.location.origin}${state.data.path}`
      : null;
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="tenantId" value={tenantId} />
      <div className="flex flex-wrap items-end gap-2">
        <label className="text-sm">
          <span className="block font-medium text-slate-700">Role</span>
          <select name="role" defaultValue="operator" className={`mt-1 ${selectClass}`}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" disabled={pending}>
          Create invite link
        </Button>
      </div>
      {state.ok && link ? (
        <div role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          <p className="mb-1 font-medium">
            Single-use invite link for a new {state.data?.role} (valid 72 hours, shown once):
          </p>
          <input
            readOnly
            aria-label="Invite link"
            value={link}
            className="w-full rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs"
          />
        </div>
      ) : (
        <FormMessage message={state.message} ok={state.ok} />
      )}
    </form>
  );
}

export function RoleForm(props: {
  tenantId: string;
  membershipId: string;
  role: string;
  roles: string[];
  label: string;
}) {
  const [state, action, pending] = useActionState<ActionState, FormData>(changeRoleAction, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="tenantId" value={props.tenantId} />
      <input type="hidden" name="membershipId" value={props.membershipId} />
      <select
        name="role"
        defaultValue={props.role}
        aria-label={`Role of ${props.label}`}
        className={selectClass}
      >
        {props.roles.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <Button type="submit" variant="secondary" disabled={pending}>
        Save role
      </Button>
      <FormMessage message={state.message} ok={state.ok} />
    </form>
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
  const [state, action, pending] = useActionState<ActionState, FormData>(removeMemberAction, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="membershipId" value={membershipId} />
      <Button type="submit" variant="danger" disabled={pending} aria-label={`Remove ${label}`}>
        Remove
      </Button>
      <FormMessage message={state.message} ok={state.ok} />
    </form>
  );
}

export function RevokeInviteForm({ tenantId, inviteId }: { tenantId: string; inviteId: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(revokeInviteAction, {});
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="inviteId" value={inviteId} />
      <Button type="submit" variant="secondary" disabled={pending}>
        Revoke
      </Button>
      <FormMessage message={state.message} ok={state.ok} />
    </form>
  );
}
