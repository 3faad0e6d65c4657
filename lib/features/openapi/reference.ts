import { openApiDocument } from "./document";

// The console's API reference page, read from the OpenAPI document: each operation and each
// named schema as plain rows the page renders (components/api-reference/openapi-reference.tsx).

type Json = Record<string, unknown>;
export type SchemaRow = { name: string; type: string; required: boolean; notes: string };
type SchemaRef = { name: string; anchor: string };
type ReferenceParameter = SchemaRow & { in: string };
type ReferenceResponse = {
  status: string;
  description: string;
  bodies: { contentType: string; schema: SchemaRef | null }[];
  codes: string[];
};
export type ReferenceOperation = {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  scopes: string[];
  authenticated: boolean;
  parameters: ReferenceParameter[];
  body: { schema: SchemaRef | null; rows: SchemaRow[] } | null;
  responses: ReferenceResponse[];
  curl: string;
};

const REF = "#/components/schemas/";
const refName = (schema: Json | undefined) =>
  typeof schema?.$ref === "string" && schema.$ref.startsWith(REF)
    ? schema.$ref.slice(REF.length)
    : null;
const schemaAnchor = (name: string) => `schema-${name}`;
const asRef = (name: string | null): SchemaRef | null =>
  name ? { name, anchor: schemaAnchor(name) } : null;

const list = (values: unknown[], max = 8) =>
  values.length > max
    ? `${values.slice(0, max).map(String).join(", ")}, … (${values.length} in all)`
    : values.map(String).join(", ");

/** A JSON Schema as a short type a person reads: `string or null`, `Credential[]`, `one of: a, b`. */
function typeOf(schema: Json | undefined): string {
  if (!schema) return "any";
  const name = refName(schema);
  if (name) return name;
  if (Array.isArray(schema.enum)) return `one of: ${list(schema.enum)}`;
  if ("const" in schema) return JSON.stringify(schema.const);
  const union = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (Array.isArray(union)) return union.map(typeOf).join(" or ");
  const type = schema.type;
  if (Array.isArray(type)) return type.map(String).join(" or ");
  if (type === "array") return `${typeOf(schema.items as Json | undefined)}[]`;
  if (type === "object" && !schema.properties) return "object";
  return typeof type === "string" ? type : "any";
}

/** Constraints and description of a property, as one line. */
function notesOf(schema: Json | undefined): string {
  if (!schema) return "";
  const notes: string[] = [];
  const bound = (label: string, key: string) => {
    const value = schema[key];
    if (typeof value === "number" && Math.abs(value) < Number.MAX_SAFE_INTEGER) {
      notes.push(`${label} ${value}`);
    }
  };
  bound("min", "minimum");
  bound("max", "maximum");
  bound("min length", "minLength");
  bound("max length", "maxLength");
  bound("max items", "maxItems");
  if (typeof schema.pattern === "string") notes.push(`pattern ${schema.pattern}`);
  if (typeof schema.format === "string") notes.push(`format ${schema.format}`);
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  const text = typeof schema.description === "string" ? schema.description : "";
  return [text, notes.join("; ")].filter(Boolean).join(" ");
}

function components(): Record<string, Json> {
  return (openApiDocument().components as { schemas: Record<string, Json> }).schemas;
}

/** The properties of an object schema (through one $ref) as rows. */
function rowsOf(schema: Json | undefined): SchemaRow[] {
  const name = refName(schema);
  const resolved = name ? components()[name] : schema;
  const properties = (resolved?.properties ?? {}) as Record<string, Json>;
  const required = (resolved?.required ?? []) as string[];
  return Object.entries(properties).map(([property, value]) => ({
    name: property,
    type: typeOf(value),
    required: required.includes(property),
    notes: notesOf(value),
  }));
}

/** A terminal command calling the operation (placeholders for the key and the ids). */
function curlOf(method: string, path: string, authenticated: boolean, op: Json): string {
  const url = path.replace(/\{(\w+)\}/g, (_, p: string) => `$${p.toUpperCase()}`);
  const lines = [`curl -s -X ${method} "$BASE${url}"`];
  if (authenticated) lines.push(`-H "X-API-Key: $KEY"`);
  const content = (op.requestBody as { content?: Record<string, Json> } | undefined)?.content;
  const json = content?.["application/json"];
  if (json) {
    lines.push(`-H 'content-type: application/json'`);
    lines.push(`-d '${JSON.stringify(json.example ?? {})}'`);
  }
  return lines.join(" \\\n  ");
}

export function referenceOperations(): { tag: string; operations: ReferenceOperation[] }[] {
  const doc = openApiDocument();
  const byTag = new Map<string, ReferenceOperation[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const security = (op.security ?? []) as unknown[];
      const body = (op.requestBody as { content?: Record<string, Json> } | undefined)?.content?.[
        "application/json"
      ]?.schema as Json | undefined;
      const operation: ReferenceOperation = {
        id: String(op.operationId),
        method: method.toUpperCase(),
        path,
        summary: String(op.summary),
        description: typeof op.description === "string" ? op.description : "",
        scopes: (op["x-scopes"] ?? []) as string[],
        authenticated: security.length > 0,
        parameters: ((op.parameters ?? []) as Json[]).map((p) => ({
          name: String(p.name),
          in: String(p.in),
          required: p.required === true,
          type: typeOf(p.schema as Json),
          notes: [p.description, notesOf({ ...(p.schema as Json), description: undefined })]
            .filter(Boolean)
            .join(" "),
        })),
        body: body ? { schema: asRef(refName(body)), rows: rowsOf(body) } : null,
        responses: Object.entries(op.responses as Record<string, Json>).map(([status, r]) => ({
          status,
          description: String(r.description),
          bodies: Object.entries((r.content ?? {}) as Record<string, Json>).map(([type, c]) => ({
            contentType: type,
            schema: asRef(refName(c.schema as Json)),
          })),
          codes: (r["x-error-codes"] ?? []) as string[],
        })),
        curl: "",
      };
      operation.curl = curlOf(operation.method, path, operation.authenticated, op);
      const tag = ((op.tags ?? []) as string[])[0] ?? "Other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation]);
    }
  }
  return [...byTag].map(([tag, operations]) => ({ tag, operations }));
}

/** Every named schema with its fields (the ones responses and bodies link to). */
export function referenceSchemas(): {
  name: string;
  anchor: string;
  description: string;
  rows: SchemaRow[];
}[] {
  return Object.entries(components()).map(([name, schema]) => ({
    name,
    anchor: schemaAnchor(name),
    description: typeof schema.description === "string" ? schema.description : "",
    rows: rowsOf(schema),
  }));
}
