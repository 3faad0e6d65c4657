import { Table, TableBody, TableCell, TableHead, TableRow } from "@/components/ui/table";
import type { ReferenceOperation } from "@/lib/features/openapi/reference";
import { SchemaTable } from "./schema-table";

const sub = "mt-4 mb-2 text-sm font-semibold text-slate-900";

/** One operation of the OpenAPI document: what it needs, what it answers, and a curl call. */
export function OperationSection({ op }: { op: ReferenceOperation }) {
  const name = `${op.method} ${op.path}`;
  return (
    <section
      id={`op-${op.id}`}
      aria-labelledby={`op-${op.id}-title`}
      className="scroll-mt-4 border-t border-slate-200 pt-4 first:border-t-0 first:pt-0"
    >
      {/* Closed until opened: twenty operations' tables would make a very long page. */}
      <details>
        <summary className="cursor-pointer list-inside marker:text-slate-500">
          <h3
            id={`op-${op.id}-title`}
            className="inline-flex flex-wrap items-baseline gap-x-2 gap-y-1 align-baseline"
          >
            <span className="w-16 shrink-0 rounded bg-slate-100 px-1.5 py-0.5 text-center font-mono text-xs font-semibold text-slate-800">
              {op.method}
            </span>
            <code className="min-w-0 font-mono text-sm break-all text-slate-900">{op.path}</code>
          </h3>
          <span className="mt-1 block text-sm font-medium text-slate-900">{op.summary}</span>
        </summary>
        <p className="mt-1 text-sm text-slate-700">{op.description}</p>
        <p className="mt-1 text-xs text-slate-600">
          {op.authenticated
            ? op.scopes.length > 0
              ? `API key (X-API-Key or Bearer) with scope ${op.scopes.join(", ")}.`
              : "Any API key of the tenant (X-API-Key or Bearer)."
            : op.path.includes("/webhooks/")
              ? "Twilio's request signature; no API key."
              : "Public; no API key."}
        </p>
        {op.parameters.length > 0 ? (
          <>
            <h4 className={sub}>Parameters</h4>
            <SchemaTable label={`Parameters of ${name}`} rows={op.parameters} location />
          </>
        ) : null}
        {op.body ? (
          <>
            <h4 className={`${sub} break-words`}>
              Request body (application/json
              {op.body.schema ? (
                <>
                  ,{" "}
                  <a className="text-brand-700 underline" href={`#${op.body.schema.anchor}`}>
                    {op.body.schema.name}
                  </a>
                </>
              ) : null}
              )
            </h4>
            <SchemaTable label={`Request body of ${name}`} rows={op.body.rows} />
          </>
        ) : null}
        <h4 className={sub}>Responses</h4>
        <Table label={`Responses of ${name}`} dense className="min-w-[36rem]">
          <TableHead columns={["Status", "Body", "Meaning"]} />
          <TableBody>
            {op.responses.map((r) => (
              <TableRow key={r.status}>
                <TableCell className="font-mono text-slate-900">{r.status}</TableCell>
                <TableCell>
                  {r.bodies.length === 0 ? "none" : null}
                  {r.bodies.map((b) => (
                    <span key={b.contentType} className="block font-mono">
                      {b.schema ? (
                        <a className="text-brand-700 underline" href={`#${b.schema.anchor}`}>
                          {b.schema.name}
                        </a>
                      ) : (
                        b.contentType
                      )}
                    </span>
                  ))}
                </TableCell>
                <TableCell className="max-w-[24rem] text-slate-700">
                  {r.codes.length > 0 ? (
                    <span className="flex flex-wrap gap-x-2">
                      {r.codes.map((code) => (
                        <a
                          key={code}
                          className="text-brand-700 font-mono underline"
                          href={`#error-${code}`}
                        >
                          {code}
                        </a>
                      ))}
                    </span>
                  ) : (
                    r.description
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <h4 className={sub}>Example</h4>
        <pre
          role="region"
          aria-label={`Example: ${name}`}
          tabIndex={0}
          className="focus-visible:ring-brand-600 overflow-x-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs text-slate-800 focus-visible:ring-2 focus-visible:outline-none"
        >
          <code>{op.curl}</code>
        </pre>
      </details>
    </section>
  );
}
