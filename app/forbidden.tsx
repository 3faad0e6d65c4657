import { Main } from "@/components/ui/skip-link";
import { Card, PageHeader } from "@/components/ui/card";

export const metadata = { title: "Not allowed" };

export default function Forbidden() {
  return (
    <Main className="mx-auto max-w-xl px-4 py-16">
      <PageHeader title="Not allowed" />
      <Card>
        <p className="text-sm text-slate-700">
          Your role in this tenant does not allow this page. Ask an owner or admin if you need
          access.
        </p>
      </Card>
    </Main>
  );
}
