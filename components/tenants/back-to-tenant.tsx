import Link from "next/link";

/** The way back from a page outside any tenant to the tenant it was opened from. */
export function BackToTenant({ tenant }: { tenant: { id: string; name: string } | null }) {
  if (!tenant) return null;
  return (
    <Link href={`/t/${tenant.id}`} className="text-sm underline" data-testid="back-to-tenant">
      ← Back to {tenant.name}
    </Link>
  );
}
