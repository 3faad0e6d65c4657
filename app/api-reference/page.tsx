import { redirect } from "next/navigation";
import { OpenApiReference } from "@/components/api-reference/openapi-reference";
import { PageFrame } from "@/components/shell/page-frame";
import { BackToTenant } from "@/components/tenants/back-to-tenant";
import { tenantToReturnTo } from "@/lib/features/tenants/return-to";
import { currentUser } from "@/lib/platform/auth/current-user";

export const metadata = { title: "API reference" };

export default async function ApiReferencePage({ searchParams }: PageProps<"/api-reference">) {
  const user = await currentUser();
  if (!user) redirect("/sign-in?callbackUrl=/api-reference");
  const back = await tenantToReturnTo(user.userId, (await searchParams).from);
  return (
    <PageFrame back={<BackToTenant tenant={back} />}>
      <OpenApiReference />
    </PageFrame>
  );
}
