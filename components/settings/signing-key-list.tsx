import { Timestamp } from "@/components/ui/timestamp";
import type { getSettingsOverview } from "@/lib/features/settings/queries";

type SigningKey = Awaited<ReturnType<typeof getSettingsOverview>>["signingKeys"][number];

/**
 * The tenant's signing keys, newest first: which one signs now, when a published one takes
 * over (the switch-over), which key endorsed it, and which API keys fetched it
 * (GET /api/v2/keys), so an admin can see who is ready for the switch-over.
 */
export function SigningKeyList({ keys }: { keys: SigningKey[] }) {
  const versionOf = (id: string | null) => keys.find((k) => k.id === id)?.version;
  return (
    <ul className="space-y-3">
      {keys.map((k) => (
        <li key={k.id} className="text-sm">
          <p>
            {k.algorithm} · version {k.version} · created{" "}
            <Timestamp value={k.createdAt} precision="day" /> · <KeyState signingKey={k} />
            {k.endorsedBy ? ` · endorsed by version ${versionOf(k.endorsedBy) ?? "?"}` : null}
            <span className="ml-1 font-mono text-xs text-slate-500">{k.id}</span>
          </p>
          <p
            className="font-mono text-xs break-all text-slate-600"
            data-testid={k.state === "signing" ? "signing-fingerprint" : undefined}
          >
            {k.fingerprint}
          </p>
          <p className="text-xs text-slate-500" data-testid="signing-key-fetches">
            {k.fetchedBy.length === 0 ? (
              "No API key has fetched it yet (GET /api/v2/keys)."
            ) : (
              <>
                Fetched by{" "}
                {k.fetchedBy.map((f, i) => (
                  <span key={f.apiKeyId}>
                    {i > 0 ? ", " : null}
                    {f.name} <span className="font-mono">{f.prefix}</span>
                    {f.revokedAt ? " (revoked)" : null} (last <Timestamp value={f.lastFetchedAt} />)
                  </span>
                ))}
              </>
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}

function KeyState({ signingKey: k }: { signingKey: SigningKey }) {
  if (k.state === "pending") {
    return (
      <strong>
        published, signs from <Timestamp value={k.activatesAt} /> (switch-over)
      </strong>
    );
  }
  if (k.state === "retired") {
    return (
      <>
        retired <Timestamp value={k.retiredAt} /> (still verifies)
      </>
    );
  }
  return k.retiredAt ? (
    <strong>
      signing until <Timestamp value={k.retiredAt} /> (switch-over)
    </strong>
  ) : (
    <strong>signing</strong>
  );
}
