import { redirect } from "next/navigation";
import { currentUser } from "@/lib/platform/auth/current-user";
import { listMyTenants } from "@/lib/platform/request-context/resolve-tenant";
import { needsSetup } from "@/lib/features/tenants/queries";

export const metadata = { title: "Console" };

export default async function Home() {
  if (await needsSetup()) redirect("/setup");
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  const [first] = await listMyTenants(user.userId);
  redirect(first ? `/t/${first.id}` : "/tenants/new");
}
