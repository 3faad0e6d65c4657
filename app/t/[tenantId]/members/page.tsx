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
import { listMembers, listPendingInvites, memberAccountHelp } from "@/lib/features/members/queries";
import { mayTouch, ROLE_DESCRIPTIONS } from "@/lib/features/members/roles";
import { ROLES } from "@/lib/platform/request-context/permissions";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";

export const metadata = { title: "Members" };

export default async function MembersPage({ params }: PageProps<"/t/[tenantId]/members">) {
  const ctx = await tenantPage((await params).tenantId, "tenant:read");
  const canWrite = ctx.can("members:write");
  const canOwners = ctx.can("owners:manage");
  const grantable = ROLES.filter((r) => r !== "owner" || canOwners);
  const [members, invites, help] = await Promise.all([
    listMembers({ tenantId: ctx.tenantId }),
    canWrite ? listPendingInvites({ tenantId: ctx.tenantId }) : Promise.resolve([]),
    canWrite ? memberAccountHelp(ctx) : Promise.resolve(null),
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
              const editable = mayTouch(ctx, m.role);
              // Only the help the server gives this viewer for this member (queries.ts).
              const offer = help?.get(m.userId);
              // Names the row's buttons and dialogs ("Remove Ada Lovelace (ada@…)").
              const who = `${m.name} (${m.email})`;
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
                    <p
                      className="mt-1 text-xs text-slate-600"
                      data-testid="member-role-description"
                    >
                      <span className="font-medium capitalize">{m.role}</span>:{" "}
                      {ROLE_DESCRIPTIONS[m.role]}
                    </p>
                    {offer?.locked ? (
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
                        label={who}
                      />
                      <RemoveMemberForm
                        tenantId={ctx.tenantId}
                        membershipId={m.membershipId}
                        label={who}
                      />
                      {offer?.unlock ? (
                        <UnlockMemberForm
                          tenantId={ctx.tenantId}
                          membershipId={m.membershipId}
                          label={who}
                        />
                      ) : null}
                      {offer?.endSessions ? (
                        <EndSessionsForm
                          tenantId={ctx.tenantId}
                          membershipId={m.membershipId}
                          label={who}
                        />
                      ) : null}
                      {offer?.resetLink ? (
                        <ResetLinkForm
                          tenantId={ctx.tenantId}
                          membershipId={m.membershipId}
                          label={who}
                        />
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
                    <Timestamp value={i.expiresAt} />
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
