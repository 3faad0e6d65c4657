"use client";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { TenantActionButton } from "@/components/ui/tenant-action-button";
import { removeIntakeAuthAction, setIntakeAuthAction } from "@/lib/features/webhooks/actions";

/**
 * HTTP Basic credentials on an integration's intake URLs: turn on, regenerate, turn off. The
 * URLs with the credentials in them are shown once, right after they are made.
 */
export function IntakeAuthForm({
  tenantId,
  integrationId,
  username,
}: {
  tenantId: string;
  integrationId: string;
  /** The current username, or null when the intake URLs need no credentials. */
  username: string | null;
}) {
  return (
    <div className="space-y-2 text-xs" data-testid="intake-auth">
      <p className="text-slate-600">
        {username
          ? `HTTP Basic credentials required (username ${username}). Twilio sends them only from URLs with the credentials in them.`
          : "No HTTP Basic credentials: the signature alone admits a request."}
      </p>
      <div className="flex flex-wrap gap-2">
        <TenantActionButton
          action={setIntakeAuthAction}
          tenantId={tenantId}
          hiddenFields={{ integrationId }}
          size="sm"
          {...(username
            ? {
                confirm: {
                  title: "Regenerate the intake credentials?",
                  description:
                    "The current username and password stop working at once: Twilio's calls are refused until its console has the new URLs.",
                  confirmLabel: "Regenerate",
                },
              }
            : {})}
          result={(state) =>
            state.ok && state.data ? (
              <div className="mt-2 space-y-2">
                <p className="font-medium">
                  Paste these URLs into the Twilio Console now; the password is shown once and
                  stored only as a keyed hash.
                </p>
                {state.data.urls.map((u) => (
                  <OneTimeSecret
                    key={u.kind}
                    label={`Intake URL with credentials (${u.kind})`}
                    value={u.url}
                  >
                    <span className="text-xs">{u.kind}</span>
                  </OneTimeSecret>
                ))}
              </div>
            ) : null
          }
        >
          {username ? "Regenerate credentials" : "Require HTTP Basic credentials"}
        </TenantActionButton>
        {username ? (
          <TenantActionButton
            action={removeIntakeAuthAction}
            tenantId={tenantId}
            hiddenFields={{ integrationId }}
            size="sm"
            variant="danger"
            confirm={{
              title: "Turn off the intake credentials?",
              description:
                "Signed requests are accepted without credentials again. Put the plain URLs back in the Twilio Console: it signs the URL it was given, credentials included.",
              confirmLabel: "Turn off",
            }}
          >
            Turn off credentials
          </TenantActionButton>
        ) : null}
      </div>
    </div>
  );
}

/** Which secret checks the signatures on an integration's intake URLs. */
export function SignatureSecretNote({
  credential,
}: {
  credential: { name: string; type: string } | null;
}) {
  if (!credential) return null;
  return (
    <p className="text-xs text-slate-600" data-testid="signature-secret">
      Signatures on these URLs are checked with{" "}
      {credential.type === "basic_auth"
        ? `the Auth Token of the Twilio credential “${credential.name}” (basic_auth).`
        : `the webhook signing secret “${credential.name}” (webhook_secret).`}
    </p>
  );
}
