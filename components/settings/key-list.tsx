import type { TenantKey } from "@/lib/platform/keys/tenant-keys";
import { Timestamp } from "@/components/ui/timestamp";

/** A tenant's key versions, newest first; `testId` marks the current one's fingerprint. */
export function KeyList({ keys, testId }: { keys: TenantKey[]; testId: string }) {
  return (
    <ul className="space-y-2">
      {keys.map((k) => (
        <li key={k.id} className="text-sm">
          <p>
            {k.algorithm} · version {k.version} · created{" "}
            <Timestamp value={k.createdAt} precision="day" />
            {k.retiredAt ? " · retired (still verifies/decrypts)" : " · current"}
            <span className="ml-1 font-mono text-xs text-slate-500">{k.id}</span>
          </p>
          <p
            className="font-mono text-xs break-all text-slate-600"
            data-testid={k.retiredAt ? undefined : testId}
          >
            {k.fingerprint}
          </p>
        </li>
      ))}
    </ul>
  );
}
