import { ConsoleShell } from "@/components/shell/console-shell";
import { NAV_ITEMS } from "@/components/shell/nav-items";
import { mayCreateTenant } from "@/lib/features/tenants/creation-policy";
import { listMyTenants } from "@/lib/platform/request-context/resolve-tenant";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";

export default async function TenantLayout({ children, params }: LayoutProps<"/t/[tenantId]">) {
  const { tenantId } = await params;
  const ctx = await tenantPage(tenantId, "tenant:read");
  const [tenants, canCreateTenant] = await Promise.all([
    listMyTenants(ctx.userId),
    mayCreateTenant(ctx.userId),
  ]);
  const navItems = NAV_ITEMS.filter((item) => ctx.can(item.permission)).map(({ href, label }) => ({
    href,
    label,
  }));
  return (
    <ConsoleShell
      tenantId={ctx.tenantId}
      tenants={tenants}
      canCreateTenant={canCreateTenant}
      navItems={navItems}
      userName={ctx.userName}
      role={ctx.role}
    >
      {children}
    </ConsoleShell>
  );
}
