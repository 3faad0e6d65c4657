import { ComingSoon } from "@/components/shell/coming-soon";
import { tenantPage } from "@/lib/tenancy/tenant-page";

export default async function ApiKeysPage({ params }: PageProps<"/t/[tenantId]/api-keys">) {
  await tenantPage((await params).tenantId, "tenant:read");
  return (
    <ComingSoon
      title="API keys"
      items={[
        "qs_live_ / qs_test_ keys for machine clients, shown once, stored only as a keyed hash",
        "Scopes, expiry, last use and revocation",
        "The client ML-KEM-768 public key each key's responses are encrypted to",
      ]}
    />
  );
}
