import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { ForwardingAttention } from "@/components/webhooks/forwarding-status";
import { last24hCounts } from "@/lib/features/audit/queries";
import { tenantPage } from "@/lib/platform/request-context/tenant-page";
import { forwardingStatus } from "@/lib/features/webhooks/queries";
import { keysExpiringSoon } from "@/lib/features/api-keys/queries";
import { ExpiringKeys } from "@/components/api-keys/expiring-keys";
import { suspectedPumping } from "@/lib/features/proxy/pumping";
import { SuspectedPumping } from "@/components/proxy/suspected-pumping";
import { OnboardingChecklist, SetupComplete } from "@/components/onboarding/onboarding-checklist";
import { onboardingProgress } from "@/lib/features/onboarding/queries";

export const metadata = { title: "Overview" };

export default async function DashboardPage({ params }: PageProps<"/t/[tenantId]">) {
  const ctx = await tenantPage((await params).tenantId, "tenant:read");
  const [counts, forwarding, expiring, pumping, progress] = await Promise.all([
    last24hCounts(ctx.tenantId),
    forwardingStatus(ctx.tenantId),
    keysExpiringSoon(ctx.tenantId),
    suspectedPumping(ctx.tenantId),
    onboardingProgress(ctx.tenantId),
  ]);
  // Until every step is done, the path there stands above the figures (which always show).
  const setUp = Object.values(progress).every(Boolean);
  const tiles = [
    { label: "Proxy calls (24 h)", value: counts.proxyCalls, filter: "" },
    { label: "Proxy denials (24 h)", value: counts.proxyDenials, filter: "action=proxy.denied" },
    {
      label: "Rate-limit refusals (24 h)",
      value: counts.limitRefusals,
      filter: "action=proxy.rate_limited",
    },
    {
      label: "Webhook rejections (24 h)",
      value: counts.webhookRejections,
      filter: "action=webhook.rejected",
    },
    { label: "All denials (24 h)", value: counts.denials, filter: "outcome=denied" },
  ];
  return (
    <>
      <PageHeader
        title={ctx.tenantName}
        description={`Dashboard · you are ${ctx.role} · from the audit log`}
      />
      <ForwardingAttention
        tenantId={ctx.tenantId}
        disabled={forwarding.filter((f) => f.disabledAt !== null)}
      />
      <ExpiringKeys tenantId={ctx.tenantId} keys={expiring} />
      <SuspectedPumping tenantId={ctx.tenantId} rows={pumping} />
      {!setUp ? (
        <OnboardingChecklist tenantId={ctx.tenantId} progress={progress} can={ctx.can} />
      ) : (
        <SetupComplete />
      )}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        {tiles.map((t) => (
          <Card key={t.label}>
            <p className="text-sm text-slate-500">{t.label}</p>
            <p className="mt-2 text-2xl font-semibold" data-testid={`tile-${t.label}`}>
              {t.value}
            </p>
            {ctx.can("audit:read") && t.filter ? (
              <Link
                href={`/t/${ctx.tenantId}/audit?${t.filter}`}
                className="mt-1 inline-block text-xs underline"
              >
                View events
              </Link>
            ) : null}
          </Card>
        ))}
      </div>
    </>
  );
}
