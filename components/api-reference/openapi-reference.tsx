import { Card, PageHeader } from "@/components/ui/card";
import { referenceOperations, referenceSchemas } from "@/lib/features/openapi/reference";
import { ErrorCodeList } from "./error-codes";
import { OperationSection } from "./operation-section";
import { SchemaTable } from "./schema-table";

const link = "text-brand-700 underline";

/**
 * The console's API reference, rendered on the server from the OpenAPI document (the same
 * one GET /api/v2/openapi.json serves): no script, so the page's CSP holds.
 */
export function OpenApiReference() {
  const groups = referenceOperations();
  return (
    <>
      <PageHeader
        title="API reference"
        description="The /api/v2 routes your systems call, generated from the API's OpenAPI 3.1 document."
      />
      <div className="space-y-6">
        <Card title="Calling the API">
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
            <li>
              The machine-readable document:{" "}
              <a className={`${link} font-mono break-all`} href="/api/v2/openapi.json">
                /api/v2/openapi.json
              </a>{" "}
              (OpenAPI 3.1; import it into your client generator or API tool).
            </li>
            <li>
              Send an API key in <code className="font-mono">X-API-Key</code> (or{" "}
              <code className="font-mono">Authorization: Bearer</code>); the tenant always comes
              from the key. Every answer carries <code className="font-mono">X-Request-Id</code>.
            </li>
            <li>
              Errors are RFC 9457 problem details (
              <code className="font-mono">application/problem+json</code>) with a stable{" "}
              <code className="font-mono">code</code>; each is explained under{" "}
              <a className={link} href="#errors">
                Errors
              </a>
              . List routes take <code className="font-mono">?limit=</code> and{" "}
              <code className="font-mono">?cursor=</code> and answer{" "}
              <code className="font-mono">next_cursor</code> and{" "}
              <code className="font-mono">has_more</code>.
            </li>
            <li>
              The proxy answers Twilio&apos;s results as a signed, encrypted{" "}
              <a className={link} href="#schema-HybridCryptoEnvelope">
                HybridCryptoEnvelope
              </a>
              ; the TypeScript SDK <code className="font-mono">@pqseal/sdk</code> (Node.js and
              browsers; build it with <code className="font-mono">npm pack -w @pqseal/sdk</code> in
              the PQSeal repository) verifies and opens it, with typed errors and retries only where
              a send cannot happen twice.
            </li>
          </ul>
          <nav aria-label="Operations" className="mt-4 text-sm">
            <ul className="space-y-1">
              {groups.flatMap((g) =>
                g.operations.map((op) => (
                  <li key={op.id}>
                    <a className={`${link} break-all`} href={`#op-${op.id}`}>
                      <span className="font-mono">{op.method}</span> {op.path}
                    </a>
                  </li>
                )),
              )}
            </ul>
          </nav>
        </Card>
        {groups.map((group) => (
          <Card key={group.tag} title={group.tag}>
            <div className="space-y-6">
              {group.operations.map((op) => (
                <OperationSection key={op.id} op={op} />
              ))}
            </div>
          </Card>
        ))}
        <Card title="Schemas">
          <div className="space-y-6">
            {referenceSchemas().map((schema) => (
              <section key={schema.name} id={schema.anchor} className="scroll-mt-4">
                <details>
                  <summary className="cursor-pointer">
                    <h3 className="inline font-mono text-sm font-semibold break-words text-slate-900">
                      {schema.name}
                    </h3>
                  </summary>
                  {schema.description ? (
                    <p className="mt-1 mb-2 text-sm text-slate-700">{schema.description}</p>
                  ) : null}
                  <SchemaTable label={`Fields of ${schema.name}`} rows={schema.rows} />
                </details>
              </section>
            ))}
          </div>
        </Card>
        <section id="errors" aria-labelledby="errors-title" className="scroll-mt-4">
          <Card>
            <h2 id="errors-title" className="mb-4 text-base font-semibold text-slate-900">
              Errors
            </h2>
            <ErrorCodeList />
          </Card>
        </section>
      </div>
    </>
  );
}
