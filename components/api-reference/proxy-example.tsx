// A first call through the proxy, as a terminal command (the README has the same one).
const EXAMPLE = `KEY=qs_test_…                      # an API key with scope proxy
BASE=https://pqseal.example.com    # this console's address

curl -s -X POST $BASE/api/v2/proxy/outbound \\
  -H "X-API-Key: $KEY" \\
  -H 'Idempotency-Key: order-42' \\
  -H 'content-type: application/json' \\
  -d '{"integration_id":"int_…","operation":"send_sms",
       "payload":{"to":"+14155550123","body":"Hi"}}'`;

/** The curl example, in a labelled region that scrolls by itself on narrow screens. */
export function ProxyExample() {
  return (
    <pre
      role="region"
      aria-label="Example: send an SMS through the proxy"
      tabIndex={0}
      className="overflow-x-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs text-slate-800"
    >
      <code>{EXAMPLE}</code>
    </pre>
  );
}
