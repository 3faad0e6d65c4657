import { Card, PageHeader } from "@/components/ui/card";
import { ApiRouteList } from "./api-route-list";
import { ProxyExample } from "./proxy-example";

/** The console's API reference: how to call /api/v2, every route, and a first proxy call. */
export function ApiReference() {
  return (
    <>
      <PageHeader
        title="API reference"
        description="The /api/v2 routes your systems call. Each answers JSON; the tenant always comes from the API key."
      />
      <div className="space-y-6">
        <Card title="Calling the API">
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
            <li>
              Send an API key (made under <strong>API keys</strong> in a tenant) in the{" "}
              <code className="font-mono">X-API-Key</code> header, or as{" "}
              <code className="font-mono">Authorization: Bearer</code>. A key without the
              route&apos;s scope gets <code className="font-mono">403 insufficient_scope</code>.
            </li>
            <li>
              Errors have one shape:{" "}
              <code className="font-mono break-all">
                {'{ "error": { "code", "message", "remediation"? } }'}
              </code>
              , with a stable <code className="font-mono">code</code>.
            </li>
            <li>
              The proxy answers with a signed, encrypted envelope: the SDK verifies and decrypts it
              with your client key (see the README).
            </li>
          </ul>
        </Card>
        <Card title="Routes">
          <ApiRouteList />
        </Card>
        <Card title="Example: send an SMS">
          <ProxyExample />
        </Card>
      </div>
    </>
  );
}
