import {
  EndSessionsForm,
  InviteForm,
  RemoveMemberForm,
  ResetLinkForm,
  RevokeInviteForm,
  RoleForm,
  UnlockMemberForm,
} from "@/components/members/member-forms";
import { Card, PageHeader } from "@/components/ui/card";
import { Timestamp } from "@/components/ui/timestamp";
import { listPendingInvites } from "@/lib/features/members/queries";
import { listMembers, memberAccountStates } from "@/lib/features/members/queries";
import { ROLES } from "@/lib/platform/request-context/permissions";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";

export default async function MembersPage({ params }: PageProps<"/t/[tenantId]/members">) {
  const ctx = await tenantPage((await params).tenantId, "tenant:read");
  const canWrite = ctx.can("members:write");
  const canOwners = ctx.can("owners:manage");
  const grantable = ROLES.filter((r) => r !== "owner" || canOwners);
  const [members, invites, accounts] = await Promise.all([
    listMembers({ tenantId: ctx.tenantId }),
    canWrite ? listPendingInvites({ tenantId: ctx.tenantId }) : Promise.resolve([]),
    canWrite ? memberAccountStates({ tenantId: ctx.tenantId }) : Promise.resolve(null),
  ]);
  return (
    <>
      <PageHeader
        title="Members"
        description={
          canWrite
            ? "Invite people, change their roles or remove them."
            : "Members of this tenant (read-only for your role)."
        }
      />
      <div className="space-y-6">
        {canWrite ? (
          <Card title="Invite a member">
            <InviteForm tenantId={ctx.tenantId} roles={grantable} />
          </Card>
        ) : null}
        <Card title={`Members (${members.length})`}>
          <ul className="divide-y divide-slate-200" aria-label="Members">
            {members.map((m) => {
              const editable = canWrite && (m.role !== "owner" || canOwners);
              const account = accounts?.get(m.userId);
              const helpable = editable && m.userId !== ctx.userId;
              return (
                <li
                  key={m.membershipId}
                  className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between"
                  data-testid="member-row"
                >
                  <div className="min-w-0">
                    <p className="truncate font-medium">
                      {m.name}{" "}
                      {m.userId === ctx.userId ? (
                        <span className="text-xs text-slate-500">(you)</span>
                      ) : null}
                    </p>
                    <p className="truncate text-sm text-slate-600">{m.email}</p>
                    {account?.locked ? (
                      <p className="text-xs font-medium text-amber-700" data-testid="member-locked">
                        Locked after failed sign-ins
                      </p>
                    ) : null}
                  </div>
                  {editable ? (
                    <div className="flex flex-wrap items-center gap-2">
                      <RoleForm
                        tenantId={ctx.tenantId}
                        membershipId={m.membershipId}
                        role={m.role}
                        roles={grantable}
                        label={m.email}
                      />
                      <RemoveMemberForm
                        tenantId={ctx.tenantId}
                        membershipId={m.membershipId}
                        label={m.email}
                      />
                      {helpable ? (
                        <>
                          {account?.locked ? (
                            <UnlockMemberForm
                              tenantId={ctx.tenantId}
                              membershipId={m.membershipId}
                              label={m.email}
                            />
                          ) : null}
                          <EndSessionsForm
                            tenantId={ctx.tenantId}
                            membershipId={m.membershipId}
                            label={m.email}
                          />
                          {account?.hasPassword ? (
                            <ResetLinkForm
                              tenantId={ctx.tenantId}
                              membershipId={m.membershipId}
                              label={m.email}
                            />
                          ) : null}
                        </>
                      ) : null}
                    </div>
                  ) : (
                    <span
                      className="rounded bg-slate-100 px-2 py-1 text-xs font-medium text-slate-700 capitalize"
                      data-testid="member-role"
                    >
                      {m.role}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        </Card>
        {canWrite && invites.length > 0 ? (
          <Card title="Pending invites">
            <ul className="divide-y divide-slate-200">
              {invites.map((i) => (
                <li
                  key={i.id}
                  className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm"
                >
                  <span>
                    <span className="capitalize">{i.role}</span> · expires{" "}
                    <Timestamp value={i.expiresAt} /> UTC
                  </span>
                  <RevokeInviteForm tenantId={ctx.tenantId} inviteId={i.id} />
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
      </div>
    </>
  );
}
