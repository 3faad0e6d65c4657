import Link from "next/link";
import { AuthCard } from "@/components/ui/card";
import { BackToTenant } from "./back-to-tenant";

/** Why this person cannot create a tenant (TENANT_CREATION), and where they can go instead. */
export function TenantCreationRefused({
  message,
  remediation,
  back,
}: {
  message: string;
  remediation: string | undefined;
  back: { id: string; name: string } | null;
}) {
  return (
    <AuthCard title="New tenant">
      <div data-testid="tenant-creation-refused" className="space-y-2 text-sm">
        <p className="font-medium text-slate-900">{message}</p>
        {remediation ? <p className="text-slate-600">{remediation}</p> : null}
      </div>
      <p className="mt-5 flex flex-wrap gap-4">
        {back ? (
          <BackToTenant tenant={back} />
        ) : (
          <Link href="/account" className="text-sm underline">
            Your account
          </Link>
        )}
      </p>
    </AuthCard>
  );
}
