import { Main } from "@/components/ui/skip-link";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";

export const metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <Main className="mx-auto max-w-xl px-4 py-16">
      <PageHeader title="Not found" />
      <Card>
        <p className="text-sm text-slate-700">
          This page does not exist, or you do not have access to it.
        </p>
        <Link href="/" className="mt-3 inline-block text-sm underline">
          Back to the console
        </Link>
      </Card>
    </Main>
  );
}
