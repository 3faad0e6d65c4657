import { z } from "zod";
import { errorStatus, type ErrorCode } from "@/lib/platform/errors/app-error";
import { API_ROUTES, type ApiRoute } from "@/lib/shared/api-routes";
import { WEBHOOK_KINDS } from "@/lib/features/webhooks/intake";
import { hybridCryptoEnvelopeSchema, paginationSchema, problemDetailsSchema } from "./components";
import { OPERATIONS, type OperationSpec } from "./operations";
import { auditEventSchema, credentialSchema, integrationSchema } from "./responses";

// The OpenAPI 3.1 document of /api/v2: the route list (lib/shared/api-routes.ts: method, path,
// scope, purpose) and, per route, the zod schemas the route parses its input with and the
// schemas of its answers (operations.ts), turned into JSON Schema 2020-12 by zod itself.
// openapi.int.test.ts calls every route and checks the real answers against this document.

type Json = Record<string, unknown>;
type OpenApiDocument = Json & { paths: Record<string, Record<string, Json>> };

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const SHARED = {
  HybridCryptoEnvelope: hybridCryptoEnvelopeSchema,
  ProblemDetails: problemDetailsSchema,
  Pagination: paginationSchema,
  Credential: credentialSchema,
  Integration: integrationSchema,
  AuditEvent: auditEventSchema,
} as const;

const ID_PARAMS: Record<string, { pattern: string; description: string }> = {
  credential_id: { pattern: "^cred_[0-9A-HJKMNP-TV-Z]{26}$", description: "A cred_… id." },
  integration_id: { pattern: "^int_[0-9A-HJKMNP-TV-Z]{26}$", description: "An int_… id." },
};

const header = (description: string, schema: Json = { type: "string" }) => ({
  description,
  schema,
});
const REQUEST_ID = header("The request's id (req_…): quote it when reporting a problem.");
const RATE_LIMIT = {
  RateLimit: header("The key's tightest limit: remaining requests and seconds until full."),
  "RateLimit-Policy": header("The limits this request counted against."),
};
const RETRY_AFTER = header("Seconds to wait before retrying.", { type: "integer", minimum: 1 });

/** /api/v2/vault/credentials/{credential_id}/rotate -> postVaultCredentialsByCredentialIdRotate */
function operationIdOf(method: string, path: string): string {
  const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  const words = path
    .replace(/^\/api\/v2\//, "")
    .split("/")
    .flatMap((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      return param ? ["by", ...param.split("_")] : segment.split(/[._-]/);
    });
  return method.toLowerCase() + words.filter(Boolean).map(capital).join("");
}

/** Names each distinct schema once, converts them all in one pass (refs between them kept). */
function convert(named: Map<z.ZodType, string>, io: "input" | "output"): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of named) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _s, $id: _i, ...rest } = schema as Json;
      return [id, rest];
    }),
  );
}

/** A query schema as OpenAPI parameters, one per property (values arrive as strings). */
function queryParameters(query: z.ZodObject): Json[] {
  const schema = z.toJSONSchema(query, {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "any",
  }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: schema.required?.includes(name) ?? false,
    ...(typeof property.description === "string" ? { description: property.description } : {}),
    schema: property,
  }));
}

function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name = ""]) => ({
    name,
    in: "path",
    required: true,
    ...(name === "kind"
      ? { description: "The webhook's kind.", schema: { type: "string", enum: [...WEBHOOK_KINDS] } }
      : {
          description: ID_PARAMS[name]?.description,
          schema: { type: "string", pattern: ID_PARAMS[name]?.pattern },
        }),
  }));
}

function headerParameters(route: ApiRoute, spec: OperationSpec): Json[] {
  const parameters: Json[] = [];
  if (spec.idempotencyKey) {
    parameters.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description:
        "Makes a retry safe: the same key and request within 24 h does not call Twilio again and answers the stored result (Idempotent-Replayed: true); the same key with another request is 409 idempotency_key_reused.",
      schema: { type: "string", pattern: "^[\\x21-\\x7E]{1,255}$" },
    });
  }
  if (spec.clientRequestId) {
    parameters.push({
      name: "X-Client-Request-Id",
      in: "header",
      required: false,
      description: "The envelope's request_id (echoed verbatim); new for every HTTP request.",
      schema: { type: "string", pattern: "^(?=[^A-Za-z]*[A-Za-z])[A-Za-z0-9._:-]{8,128}$" },
    });
  }
  if (route.auth === "twilio_signature") {
    parameters.push({
      name: "X-Twilio-Signature",
      in: "header",
      required: true,
      description: "Twilio's signature of the URL and parameters (checked with the Auth Token).",
      schema: { type: "string" },
    });
  }
  return parameters;
}

function errorResponses(spec: OperationSpec): Record<string, Json> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(spec.errors)) {
    const status = errorStatus(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, Json> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const envelope = spec.envelopeFailures && [400, 403, 404, 429].includes(status);
    responses[String(status)] = {
      description:
        `Problem details: ${codes.join(", ")}.` +
        (envelope ? " Or an envelope (success false) when Twilio refused the call." : ""),
      "x-error-codes": codes,
      headers: {
        "X-Request-Id": REQUEST_ID,
        ...(status === 429 || status === 503 ? { "Retry-After": RETRY_AFTER } : {}),
        ...(status === 401 && codes.includes("unauthenticated")
          ? { "WWW-Authenticate": header('ApiKey, Bearer realm="PQSeal API"') }
          : {}),
      },
      content: {
        "application/problem+json": { schema: ref("ProblemDetails") },
        ...(envelope ? { "application/json": { schema: ref("HybridCryptoEnvelope") } } : {}),
      },
    };
  }
  if (spec.envelopeFailures) {
    const envelopeOnly = (description: string) => ({
      description,
      headers: { "X-Request-Id": REQUEST_ID },
      content: { "application/json": { schema: ref("HybridCryptoEnvelope") } },
    });
    responses["4XX"] = envelopeOnly("Twilio refused the call: an envelope with success false.");
    responses["502"] = envelopeOnly("Twilio failed: an envelope with success false.");
    responses["504"] = envelopeOnly("Twilio did not answer in time: an envelope, success false.");
  }
  for (const [status, description] of Object.entries(spec.bare ?? {})) {
    responses[status] = {
      description: `No body. ${description}`,
      headers: {
        "X-Request-Id": REQUEST_ID,
        ...(status === "401" ? { "WWW-Authenticate": header("Basic realm=…") } : {}),
      },
    };
  }
  return responses;
}

function undocumented(route: ApiRoute): OperationSpec {
  return {
    summary: route.purpose,
    tag: "Meta",
    success: { status: 200, description: "Not yet described." },
    errors: [],
  };
}

function build(): OpenApiDocument {
  // A route without a spec is still listed (marked x-undocumented, which document.test.ts
  // refuses), so the served document never breaks on a route added without one.
  const specs = API_ROUTES.map((route) => {
    const spec = OPERATIONS[`${route.method} ${route.path}`];
    return {
      route,
      spec: spec ?? undocumented(route),
      undocumented: !spec,
      id: operationIdOf(route.method, route.path),
    };
  });

  // Every schema gets one component name: shared ones by their name, the rest by operation.
  const outputs = new Map<z.ZodType, string>(
    Object.entries(SHARED).map(([name, schema]) => [schema as z.ZodType, name]),
  );
  const inputs = new Map<z.ZodType, string>();
  for (const { spec, id } of specs) {
    const name = id.charAt(0).toUpperCase() + id.slice(1);
    const json = spec.success.json;
    if (json && json !== "envelope" && !outputs.has(json)) outputs.set(json, `${name}Response`);
    if (spec.body && !inputs.has(spec.body)) inputs.set(spec.body, `${name}Request`);
  }
  const schemas = { ...convert(outputs, "output"), ...convert(inputs, "input") };

  const paths: OpenApiDocument["paths"] = {};
  for (const { route, spec, id, undocumented: missing } of specs) {
    const keyed = route.auth !== "twilio_signature" && route.auth !== "public";
    const scope = keyed && route.auth !== "any_key" ? route.auth : null;
    const json = spec.success.json;
    const successContent: Json = {
      ...(json === "envelope"
        ? { "application/json": { schema: ref("HybridCryptoEnvelope") } }
        : {}),
      ...(json && json !== "envelope"
        ? { "application/json": { schema: ref(outputs.get(json) ?? "") } }
        : {}),
      ...Object.fromEntries(
        Object.entries(spec.success.other ?? {}).map(([type, description]) => [
          type,
          { schema: { type: "string", description } },
        ]),
      ),
    };
    const parameters = [
      ...pathParameters(route.path),
      ...(spec.query ? queryParameters(spec.query) : []),
      ...headerParameters(route, spec),
    ];
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: id,
      ...(missing ? { "x-undocumented": true } : {}),
      tags: [spec.tag],
      summary: spec.summary,
      description:
        route.purpose +
        (scope ? ` Requires an API key with scope \`${scope}\`.` : "") +
        (route.auth === "any_key" ? " Any API key of the tenant." : ""),
      security: keyed ? [{ ApiKey: [] }, { Bearer: [] }] : [],
      "x-scopes": scope ? [scope] : [],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: {
                "application/json": {
                  schema: ref(inputs.get(spec.body) ?? ""),
                  ...(spec.example === undefined ? {} : { example: spec.example }),
                },
              },
            },
          }
        : {}),
      responses: {
        [String(spec.success.status)]: {
          description:
            spec.success.description + (spec.success.mayBeEmpty ? " Other kinds: no body." : ""),
          ...(spec.success.mayBeEmpty ? { "x-empty-body": true } : {}),
          headers: {
            "X-Request-Id": REQUEST_ID,
            ...(keyed ? RATE_LIMIT : {}),
            ...(spec.idempotencyKey
              ? { "Idempotent-Replayed": header("true when this is a stored result, replayed.") }
              : {}),
          },
          ...(Object.keys(successContent).length > 0 ? { content: successContent } : {}),
        },
        ...errorResponses(spec),
      },
    };
  }

  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "PQSeal API",
      version: "2",
      description:
        "The machine API of PQSeal: a policy-checked, post-quantum-signed proxy in front of Twilio. Every answer carries X-Request-Id; every error PQSeal answers itself is RFC 9457 problem details (application/problem+json) whose `type` links to its explanation; the proxy answers Twilio's results as a HybridCryptoEnvelope (docs/ENVELOPE.md).",
    },
    tags: [...new Set(specs.map((s) => s.spec.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        ApiKey: {
          type: "apiKey",
          in: "header",
          name: "X-API-Key",
          description: "An API key of the tenant (made under API keys in the console).",
        },
        Bearer: {
          type: "http",
          scheme: "bearer",
          description: "The same API key as Authorization: Bearer <key>.",
        },
      },
    },
  };
}

let cached: OpenApiDocument | undefined;

/** The document (built once per process: it depends on code only). */
export function openApiDocument(): OpenApiDocument {
  return (cached ??= build());
}
