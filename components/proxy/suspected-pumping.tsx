import Link from "next/link";

/**
 * The dashboard's warning: destination countries where few verifications were approved within
 * their integration's pumping window (suspected SMS pumping, issue #21).
 */
export function SuspectedPumping({
  tenantId,
  rows,
}: {
  tenantId: string;
  rows: {
    integrationId: string;
    integrationName: string;
    action: string;
    country: string;
    created: number;
    approved: number;
  }[];
}) {
  if (rows.length === 0) return null;
  return (
    <div
      role="status"
      className="mb-4 rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900"
      data-testid="suspected-pumping"
    >
      <p className="font-medium">Suspected SMS pumping</p>
      <ul className="mt-1 list-disc pl-5">
        {rows.map((r) => (
          <li key={`${r.integrationId}:${r.country}`}>
            <Link href={`/t/${tenantId}/integrations/${r.integrationId}`} className="underline">
              {r.integrationName}
            </Link>{" "}
            → {r.country}: {r.approved} of {r.created} verifications approved in the window (
            {r.action === "refuse" ? "sends refused" : "alert only"})
          </li>
        ))}
      </ul>
      <Link
        href={`/t/${tenantId}/audit?action=proxy.pumping_suspected`}
        className="mt-1 inline-block text-xs underline"
      >
        View events
      </Link>
    </div>
  );
}
