import { redirect } from "next/navigation";
import { CreateTenantForm } from "@/components/tenants/create-tenant-form";
import { AuthCard } from "@/components/ui/card";
import { currentUser } from "@/lib/platform/auth/current-user";

export default async function NewTenantPage() {
  if (!(await currentUser())) redirect("/sign-in");
  return (
    <AuthCard title="New tenant">
      <p className="mb-4 text-sm text-slate-600">You will be the owner of the new tenant.</p>
      <CreateTenantForm />
    </AuthCard>
  );
}
