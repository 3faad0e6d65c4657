import Link from "next/link";
import { Timestamp } from "@/components/ui/timestamp";

/** The dashboard's reminder: live API keys that expire within 14 days. */
export function ExpiringKeys({
  tenantId,
  keys,
}: {
  tenantId: string;
  keys: { id: string; name: string; prefix: string; expiresAt: Date | null }[];
}) {
  if (keys.length === 0) return null;
  return (
    <div
      role="status"
      className="mb-4 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
      data-testid="expiring-keys"
    >
      <p className="font-medium">
        {keys.length === 1 ? "An API key expires" : `${keys.length} API keys expire`} within 14
        days. Roll {keys.length === 1 ? "it" : "them"} to a new secret before then.
      </p>
      <ul className="mt-1 list-disc pl-5">
        {keys.map((k) => (
          <li key={k.id}>
            {k.name} <span className="font-mono text-xs">{k.prefix}…</span> expires{" "}
            <Timestamp value={k.expiresAt} />
          </li>
        ))}
      </ul>
      <Link href={`/t/${tenantId}/api-keys`} className="mt-1 inline-block text-xs underline">
        API keys
      </Link>
    </div>
  );
}
