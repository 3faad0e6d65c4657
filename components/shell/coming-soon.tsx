import { Card, PageHeader } from "@/components/ui/card";

/** Placeholder for a console section whose capability lands in a later issue. */
export function ComingSoon({ title, items }: { title: string; items: string[] }) {
  return (
    <>
      <PageHeader title={title} description="This section is being built. It will hold:" />
      <Card>
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </Card>
    </>
  );
}
