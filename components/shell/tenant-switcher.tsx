"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Select } from "@/components/ui/select";

interface TenantOption {
  id: string;
  name: string;
  role: string;
}

/**
 * Moves between the user's tenants; "New tenant" is offered only to those the deployment's
 * TENANT_CREATION setting lets create one (the page and the action check again).
 */
export function TenantSwitcher({
  current,
  tenants,
  canCreateTenant,
}: {
  current: string;
  tenants: TenantOption[];
  canCreateTenant: boolean;
}) {
  const router = useRouter();
  return (
    <div>
      <Select
        label="Tenant"
        aria-label="Switch tenant"
        name="tenant"
        value={current}
        onChange={(event) => router.push(`/t/${event.target.value}`)}
      >
        {tenants.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name} ({t.role})
          </option>
        ))}
      </Select>
      {canCreateTenant ? (
        <Link
          href={`/tenants/new?from=${current}`}
          className="text-brand-700 mt-2 inline-block text-sm underline"
        >
          New tenant
        </Link>
      ) : null}
    </div>
  );
}
