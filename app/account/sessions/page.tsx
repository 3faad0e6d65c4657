import { RevokeOtherSessionsForm, RevokeSessionForm } from "@/components/account/session-forms";
import { Card, PageHeader } from "@/components/ui/card";
import { Timestamp } from "@/components/ui/timestamp";
import { listOwnSessions } from "@/lib/features/account/queries";
import { currentUser } from "@/lib/platform/auth/current-user";
import { redirect } from "next/navigation";

export const metadata = { title: "Sessions" };

const METHODS: Record<string, string> = {
  password: "Password",
  passkey: "Passkey",
  sso: "Single sign-on",
};

export default async function SessionsPage() {
  const user = await currentUser();
  if (!user) redirect("/sign-in?callbackUrl=/account/sessions");
  const sessions = await listOwnSessions({ userId: user.userId });
  const others = sessions.filter((s) => s.id !== user.sessionId).length;
  return (
    <>
      <PageHeader
        title="Sessions"
        description="Where you are signed in. Sign out any session you do not recognise."
      />
      <Card title={`Open sessions (${sessions.length})`}>
        <ul className="divide-y divide-slate-200" aria-label="Sessions">
          {sessions.map((s) => {
            const current = s.id === user.sessionId;
            return (
              <li
                key={s.id}
                className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between"
                data-testid="session-row"
              >
                <div className="min-w-0 text-sm">
                  <p className="font-medium">
                    {s.device}{" "}
                    {current ? (
                      <span className="rounded bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800">
                        This session
                      </span>
                    ) : null}
                  </p>
                  <p className="text-slate-600">
                    {METHODS[s.method] ?? s.method} · IP {s.ip ?? "unknown"} · signed in{" "}
                    <Timestamp value={s.createdAt} /> · last seen <Timestamp value={s.lastSeenAt} />
                  </p>
                </div>
                {current ? null : <RevokeSessionForm sessionId={s.id} label={s.device} />}
              </li>
            );
          })}
        </ul>
        {others > 0 ? (
          <div className="mt-4">
            <RevokeOtherSessionsForm />
          </div>
        ) : null}
      </Card>
    </>
  );
}
