"use client";
import { useRouter } from "next/navigation";
import { Select } from "@/components/ui/select";

interface TenantOption {
  id: string;
  name: string;
  role: string;
}

export function TenantSwitcher({ current, tenants }: { current: string; tenants: TenantOption[] }) {
  const router = useRouter();
  return (
    <Select
      label="Tenant"
      aria-label="Switch tenant"
      name="tenant"
      value={current}
      onChange={(event) => {
        const value = event.target.value;
        router.push(value === "__new" ? "/tenants/new" : `/t/${value}`);
      }}
    >
      {tenants.map((t) => (
        <option key={t.id} value={t.id}>
          {t.name} ({t.role})
        </option>
      ))}
      <option value="__new">+ New tenant…</option>
    </Select>
  );
}
