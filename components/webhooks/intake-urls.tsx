import { CopyButton } from "@/components/ui/copy-button";

/** An integration's intake URLs, each with a Copy button, to paste into the Twilio Console. */
export function IntakeUrls({
  integrationId,
  integrationName,
  urls,
}: {
  integrationId: string;
  integrationName: string;
  urls: { kind: string; url: string }[];
}) {
  return (
    <ul className="space-y-2 sm:space-y-1">
      {urls.map((u) => {
        const id = `intake-${integrationId}-${u.kind}`;
        return (
          <li key={u.kind} className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span className="w-28 text-xs text-slate-600">{u.kind}</span>
            <code id={id} className="min-w-0 flex-1 text-xs break-all" data-testid="intake-url">
              {u.url}
            </code>
            <CopyButton
              value={u.url}
              what={`${u.kind} intake URL of ${integrationName}`}
              selectTarget={id}
            />
          </li>
        );
      })}
    </ul>
  );
}
