"use client";
import { useRouter } from "next/navigation";

interface TenantOption {
  id: string;
  name: string;
  role: string;
}

export function TenantSwitcher({ current, tenants }: { current: string; tenants: TenantOption[] }) {
  const router = useRouter();
  return (
    <label className="block text-xs font-medium text-slate-500">
      Tenant
      <select
        aria-label="Switch tenant"
        value={current}
        onChange={(event) => {
          const value = event.target.value;
          router.push(value === "__new" ? "/tenants/new" : `/t/${value}`);
        }}
        className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900"
      >
        {tenants.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name} ({t.role})
          </option>
        ))}
        <option value="__new">+ New tenant…</option>
      </select>
    </label>
  );
}
