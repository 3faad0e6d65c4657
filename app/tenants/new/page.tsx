import { forbidden, redirect } from "next/navigation";
import { BackToTenant } from "@/components/tenants/back-to-tenant";
import { CreateTenantForm } from "@/components/tenants/create-tenant-form";
import { AuthCard } from "@/components/ui/card";
import { mayCreateTenant } from "@/lib/features/tenants/creation-policy";
import { tenantToReturnTo } from "@/lib/features/tenants/return-to";
import { currentUser } from "@/lib/platform/auth/current-user";

export const metadata = { title: "New tenant" };

export default async function NewTenantPage({ searchParams }: PageProps<"/tenants/new">) {
  const user = await currentUser();
  if (!user) redirect("/sign-in?callbackUrl=/tenants/new");
  // 403 with the reason (./forbidden.tsx) when TENANT_CREATION does not allow this user.
  if (!(await mayCreateTenant(user.userId))) forbidden();
  const back = await tenantToReturnTo(user.userId, (await searchParams).from);
  return (
    <AuthCard title="New tenant">
      <p className="mb-4 text-sm text-slate-600">You will be the owner of the new tenant.</p>
      <CreateTenantForm />
      <p className="mt-4 text-center">
        <BackToTenant tenant={back} />
      </p>
    </AuthCard>
  );
}
