import { notFound } from "next/navigation";
import { SetupForm } from "@/components/tenants/setup-form";
import { AuthCard } from "@/components/ui/card";
import { needsSetup } from "@/lib/features/tenants/queries";

export const metadata = { title: "Set up PQSeal" };

// One-time first-run page: once an owner exists it answers 404.
export default async function SetupPage() {
  if (!(await needsSetup())) notFound();
  return (
    <AuthCard title="Welcome to PQSeal">
      <p className="mb-4 text-sm text-slate-600">
        Create your organisation&apos;s tenant and its first owner. This page is available only
        once.
      </p>
      <SetupForm />
    </AuthCard>
  );
}
