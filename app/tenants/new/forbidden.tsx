import { redirect } from "next/navigation";
import { TenantCreationRefused } from "@/components/tenants/tenant-creation-refused";
import { tenantCreationRefusal } from "@/lib/features/tenants/creation-policy";
import { tenantToReturnTo } from "@/lib/features/tenants/return-to";
import { currentUser } from "@/lib/platform/auth/current-user";

// The new-tenant page's 403: the deployment's TENANT_CREATION does not let this user create one.
export default async function TenantCreationForbidden() {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  const refusal = await tenantCreationRefusal(user.userId);
  return (
    <TenantCreationRefused
      message={refusal?.message ?? "You cannot create a tenant."}
      remediation={refusal?.options.remediation}
      back={await tenantToReturnTo(user.userId, undefined)}
    />
  );
}
