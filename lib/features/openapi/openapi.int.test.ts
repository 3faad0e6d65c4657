// The OpenAPI document cannot drift from the API: every /api/v2 route is called in-process
// (its route handler, as Next.js calls it; Twilio is the double) for its success and for each
// error status the document lists, and every answer's status, content type, X-Request-Id and
// body are checked against the document. An answer with a status or a body the document does
// not describe fails; a documented status no call reaches must be named in UNREACHED, with why.
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { NextRequest } from "next/server";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as auditEvents from "@/app/api/v2/audit/events/route";
import * as auditExport from "@/app/api/v2/audit/export/route";
import * as auditVerify from "@/app/api/v2/audit/verify/route";
import * as intakeAuth from "@/app/api/v2/integrations/[integrationId]/intake-auth/route";
import * as integration from "@/app/api/v2/integrations/[integrationId]/route";
import * as webhookEvents from "@/app/api/v2/integrations/[integrationId]/webhook-events/route";
import * as integrations from "@/app/api/v2/integrations/route";
import * as keys from "@/app/api/v2/keys/route";
import * as openapi from "@/app/api/v2/openapi.json/route";
import * as outbound from "@/app/api/v2/proxy/outbound/route";
import * as rotate from "@/app/api/v2/vault/credentials/[credentialId]/rotate/route";
import * as credential from "@/app/api/v2/vault/credentials/[credentialId]/route";
import * as credentials from "@/app/api/v2/vault/credentials/route";
import * as seal from "@/app/api/v2/vault/seal/route";
import * as intake from "@/app/api/v2/webhooks/twilio/[integrationId]/[kind]/route";
import { createApiKey } from "@/lib/features/api-keys/service";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { API_ROUTES } from "@/lib/shared/api-routes";
import type { ApiKeyScope } from "@/lib/shared/api-key-scopes";
import { newId } from "@/lib/shared/ids";
import { ACCOUNT, proxySetup, TOKEN } from "@/test/proxy-setup";
import { webhookIntegration } from "@/test/webhook-setup";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { openApiDocument } from "./document";

vi.hoisted(() => {
  process.env.PQSEAL_DEPLOYMENT_MODE = "development";
});
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

type Json = Record<string, unknown>;
type Handler = (request: NextRequest, route?: { params: Promise<never> }) => Promise<Response>;
const h = (handler: unknown) => handler as Handler;

/** Every route's handler, by "METHOD path" as lib/shared/api-routes.ts names it. */
const HANDLERS: Record<string, Handler> = {
  "POST /api/v2/proxy/outbound": h(outbound.POST),
  "GET /api/v2/keys": h(keys.GET),
  "POST /api/v2/vault/seal": h(seal.POST),
  "GET /api/v2/vault/credentials": h(credentials.GET),
  "POST /api/v2/vault/credentials/{credential_id}/rotate": h(rotate.POST),
  "DELETE /api/v2/vault/credentials/{credential_id}": h(credential.DELETE),
  "GET /api/v2/integrations": h(integrations.GET),
  "POST /api/v2/integrations": h(integrations.POST),
  "GET /api/v2/integrations/{integration_id}": h(integration.GET),
  "PATCH /api/v2/integrations/{integration_id}": h(integration.PATCH),
  "DELETE /api/v2/integrations/{integration_id}": h(integration.DELETE),
  "POST /api/v2/integrations/{integration_id}/intake-auth": h(intakeAuth.POST),
  "DELETE /api/v2/integrations/{integration_id}/intake-auth": h(intakeAuth.DELETE),
  "GET /api/v2/integrations/{integration_id}/webhook-events": h(webhookEvents.GET),
  "GET /api/v2/audit/events": h(auditEvents.GET),
  "GET /api/v2/audit/export": h(auditExport.GET),
  "POST /api/v2/audit/verify": h(auditVerify.POST),
  "POST /api/v2/webhooks/twilio/{integration_id}/{kind}": h(intake.POST),
  "GET /api/v2/webhooks/twilio/{integration_id}/{kind}": h(intake.GET),
  "GET /api/v2/openapi.json": h(openapi.GET),
};

/**
 * Documented answers no in-process call reaches, each with the reason (a status here that a
 * call does reach is reported too, so the list stays honest). Keys: "METHOD path status", or
 * "* status" for every route.
 */
const UNREACHED: Record<string, string> = {
  "* 500": "internal_error: a fault of ours (to-response.test.ts covers the answer's shape).",
  "* 503":
    "database, KMS or Twilio unavailable, overloaded, audit pending: fault injection (proxy.int.test.ts, audit-outage.int.test.ts, admission.test.ts).",
  "* 429":
    "the API key's own rate limit: the one chokepoint, exercised here on GET /api/v2/keys (and on the proxy by its destination limit).",
  "GET /api/v2/webhooks/twilio/{integration_id}/{kind} 413":
    "a GET has no body to be too large; its query is bounded by the HTTP server.",
};

const doc = openApiDocument();
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ components: doc.components }, "doc");
const compiled = new Map<string, ValidateFunction>();
function validatorFor(schema: Json): ValidateFunction {
  const text = JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/');
  let validate = compiled.get(text);
  if (!validate) {
    validate = ajv.compile(JSON.parse(text) as Json);
    compiled.set(text, validate);
  }
  return validate;
}

/** "METHOD path status-key" of every answer checked. */
const reached = new Set<string>();

type Call = {
  params?: Record<string, string>;
  query?: string;
  key?: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
};

/** Calls the route's handler and checks its answer against the document. */
async function call(method: string, path: string, options: Call = {}) {
  const handler = HANDLERS[`${method} ${path}`];
  if (!handler) throw new Error(`no handler for ${method} ${path}`);
  const params = options.params ?? {};
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? "");
  const body =
    options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const request = new NextRequest(`http://localhost${url}${options.query ?? ""}`, {
    method,
    headers: {
      ...(options.key ? { "x-api-key": options.key } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...options.headers,
    },
    ...(body !== undefined ? { body } : {}),
  });
  const routeParams = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [
      k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()),
      v,
    ]),
  );
  const response = await handler(request, { params: Promise.resolve(routeParams as never) });
  return checked(method, path, response);
}

async function checked(method: string, path: string, response: Response) {
  const where = `${method} ${path} → ${response.status}`;
  const op = doc.paths[path]?.[method.toLowerCase()] as { responses: Record<string, Json> };
  expect(op, `${method} ${path} is not in the document`).toBeDefined();
  const status = String(response.status);
  const range = `${status.charAt(0)}XX`;
  const key = status in op.responses ? status : range in op.responses ? range : null;
  const text = await response.text();
  expect(key, `${where} is not documented: ${text.slice(0, 300)}`).not.toBeNull();
  const documented = op.responses[key ?? ""] as Json & { content?: Record<string, Json> };
  expect(response.headers.get("x-request-id"), `${where}: X-Request-Id`).toMatch(/\S/);
  const type = (response.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
  let body: unknown = text;
  if (!documented.content || (text === "" && type === "" && documented["x-empty-body"])) {
    expect(text, `${where}: the document says no body`).toBe("");
  } else {
    expect(Object.keys(documented.content), `${where}: content type ${type}`).toContain(type);
    if (type === "application/json" || type === "application/problem+json") {
      body = JSON.parse(text);
      const schema = (documented.content[type] as { schema: Json }).schema;
      const validate = validatorFor(schema);
      expect(validate(body) ? [] : validate.errors, `${where}: ${text.slice(0, 400)}`).toEqual([]);
      if (type === "application/problem+json") {
        const problem = body as { code: string; status: number };
        expect(problem.status, where).toBe(response.status);
        expect(documented["x-error-codes"], `${where}: ${problem.code} is not listed`).toContain(
          problem.code,
        );
      }
    }
  }
  reached.add(`${method} ${path} ${key ?? status}`);
  return { status: response.status, body: body as Json, headers: response.headers };
}

let double: TwilioDouble;
let doubleOpen = false;
let s: Awaited<ReturnType<typeof proxySetup>>;
let auditKey: string;
let hooks: Awaited<ReturnType<typeof webhookIntegration>>;
const HOOK_SECRET = "openapiWebhookSecretValue0000001";

beforeAll(async () => {
  double = await startTwilioDouble({
    port: Number(process.env.TWILIO_DOUBLE_PORT),
    accounts: [{ sid: ACCOUNT, authToken: TOKEN }],
  });
  doubleOpen = true;
  s = await proxySetup((user) => (session.user = user));
  auditKey = (
    await createApiKey(s.ctx, { name: "audit", environment: "test", scopes: ["audit:read"] })
  ).key;
  hooks = await webhookIntegration(s.ctx, { secret: HOOK_SECRET });
});
afterAll(async () => {
  if (doubleOpen) await double.close();
});

const keyed = API_ROUTES.filter((r) => r.auth !== "twilio_signature" && r.auth !== "public");
const someParams = () => ({
  credential_id: newId("credential"),
  integration_id: newId("integration"),
});
const huge = { name: "x".repeat(70 * 1024) };

describe("every /api/v2 answer is the document's", () => {
  it("has a handler here for every listed route", () => {
    expect(Object.keys(HANDLERS).sort()).toEqual(
      API_ROUTES.map((r) => `${r.method} ${r.path}`).sort(),
    );
  });

  it("the chokepoint: 401 without a key, 403 for a key without the scope or outside its networks, 429 over its rate", async () => {
    const fenced = (
      await createApiKey(s.ctx, {
        name: "fenced",
        environment: "test",
        scopes: ["audit:read"],
        allowedNetworks: ["10.0.0.0/8"],
      })
    ).key;
    for (const route of keyed) {
      await call(route.method, route.path, { params: someParams() }).then((r) =>
        expect(r.status, route.path).toBe(401),
      );
      const scope = route.auth as ApiKeyScope | "any_key";
      const lacking = scope === "any_key" ? fenced : scope === "audit:read" ? s.key : auditKey;
      await call(route.method, route.path, { params: someParams(), key: lacking }).then((r) =>
        expect(r.status, route.path).toBe(403),
      );
    }
    const slow = (
      await createApiKey(s.ctx, {
        name: "slow",
        environment: "test",
        scopes: ["audit:read"],
        ratePerSecond: 1,
        burst: 1,
      })
    ).key;
    expect((await call("GET", "/api/v2/keys", { key: slow })).status).toBe(200);
    const limited = await call("GET", "/api/v2/keys", { key: slow });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("vault: seal, list, rotate, delete", async () => {
    const values = { username: ACCOUNT, password: TOKEN };
    const path = "/api/v2/vault/credentials/{credential_id}";
    const rotatePath = `${path}/rotate`;
    const sealed = await call("POST", "/api/v2/vault/seal", {
      key: s.key,
      body: { credential_type: "basic_auth", name: "second", values },
    });
    expect(sealed.status).toBe(201);
    const id = (sealed.body.credential as { id: string }).id;
    const wrong = { ...values, password: "wrongAuthTokenValue0000000000001" };
    for (const [body, status] of [
      [{}, 400],
      [huge, 413],
      [{ credential_type: "basic_auth", name: "bad", values: wrong }, 422],
    ] as const) {
      expect((await call("POST", "/api/v2/vault/seal", { key: s.key, body })).status).toBe(status);
    }
    expect((await call("GET", "/api/v2/vault/credentials", { key: s.key })).status).toBe(200);
    const page = await call("GET", "/api/v2/vault/credentials", { key: s.key, query: "?limit=1" });
    expect(page.body.has_more).toBe(true);
    expect(
      (await call("GET", "/api/v2/vault/credentials", { key: s.key, query: "?limit=0" })).status,
    ).toBe(400);
    const own = { credential_id: id };
    expect(
      (await call("POST", rotatePath, { key: s.key, params: own, body: { values } })).status,
    ).toBe(200);
    for (const [params, body, status] of [
      [own, { values: 1 }, 400],
      [own, huge, 413],
      [own, { values: wrong }, 422],
      [someParams(), { values }, 404],
    ] as const) {
      expect((await call("POST", rotatePath, { key: s.key, params, body })).status).toBe(status);
    }
    const inUse = { credential_id: s.cred.id };
    expect((await call("DELETE", path, { key: s.key, params: inUse })).status).toBe(409);
    expect((await call("DELETE", path, { key: s.key, params: own })).status).toBe(204);
    expect((await call("DELETE", path, { key: s.key, params: own })).status).toBe(404);
  });

  it("integrations: list, create, read, change, delete", async () => {
    const one = "/api/v2/integrations/{integration_id}";
    expect((await call("GET", "/api/v2/integrations", { key: s.key })).status).toBe(200);
    expect(
      (await call("GET", "/api/v2/integrations", { key: s.key, query: "?limit=x" })).status,
    ).toBe(400);
    const body = { name: "new", system_type: "twilio", credential_id: s.cred.id };
    const created = await call("POST", "/api/v2/integrations", { key: s.key, body });
    expect(created.status).toBe(201);
    const params = { integration_id: (created.body.integration as { id: string }).id };
    expect((await call("POST", "/api/v2/integrations", { key: s.key, body: {} })).status).toBe(400);
    expect((await call("POST", "/api/v2/integrations", { key: s.key, body: huge })).status).toBe(
      413,
    );
    expect((await call("GET", one, { key: s.key, params })).status).toBe(200);
    expect((await call("GET", one, { key: s.key, params: someParams() })).status).toBe(404);
    const patch = { key: s.key, params, body: { name: "renamed" } };
    expect((await call("PATCH", one, patch)).status).toBe(200);
    expect((await call("PATCH", one, { ...patch, body: { enabled: "yes" } })).status).toBe(400);
    expect((await call("PATCH", one, { ...patch, body: huge })).status).toBe(413);
    expect((await call("PATCH", one, { ...patch, params: someParams() })).status).toBe(404);
    expect((await call("DELETE", one, { key: s.key, params })).status).toBe(204);
    expect((await call("DELETE", one, { key: s.key, params })).status).toBe(404);
  });

  it("audit: events, export (jsonl and csv), verify", async () => {
    const key = auditKey;
    expect((await call("GET", "/api/v2/audit/events", { key })).status).toBe(200);
    expect((await call("GET", "/api/v2/audit/events", { key, query: "?limit=0" })).status).toBe(
      400,
    );
    for (const query of ["", "?format=csv"]) {
      expect((await call("GET", "/api/v2/audit/export", { key, query })).status).toBe(200);
    }
    expect((await call("GET", "/api/v2/audit/export", { key, query: "?format=xml" })).status).toBe(
      400,
    );
    expect((await call("POST", "/api/v2/audit/verify", { key })).status).toBe(200);
  });

  it("keys and the document itself", async () => {
    expect((await call("GET", "/api/v2/keys", { key: s.key })).status).toBe(200);
    const answer = await call("GET", "/api/v2/openapi.json");
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toBe("3.1.0");
    expect(answer.headers.get("cache-control")).toMatch(/public/);
  });

  it("the proxy: envelopes for Twilio's answers, problem details for PQSeal's refusals", async () => {
    const path = "/api/v2/proxy/outbound";
    const send = (to: string, extra: Json = {}) => ({
      integration_id: s.integration.id,
      operation: "send_sms",
      payload: { to, body: "Hi" },
      ...extra,
    });
    const ok = await call("POST", path, { key: s.key, body: send("+14155550142") });
    expect(ok.status).toBe(200);
    expect(ok.body.success).toBe(true);
    // Twilio's refusal (21211) and failure (500): envelopes, success false.
    const refused = await call("POST", path, { key: s.key, body: send("+15005550001") });
    expect([refused.status, refused.body.success]).toEqual([400, false]);
    const failed = await call("POST", path, { key: s.key, body: send("+15005550500") });
    expect([failed.status, failed.body.success]).toEqual([502, false]);
    // The double's slow number answers after 8 s; the proxy waits TWILIO_TIMEOUT_MS (1.5 s).
    const late = await call("POST", path, { key: s.key, body: send("+15005550100") });
    expect([late.status, late.body.success]).toEqual([504, false]);
    const refusals: [Call, number][] = [
      [{ body: { operation: "send_sms" } }, 400],
      [{ body: send("not a number") }, 400],
      [{ body: send("+14155550143", { operation: "make_call" }) }, 403],
      [{ body: send("+14155550143", { integration_id: newId("integration") }) }, 404],
      [{ body: huge }, 413],
    ];
    for (const [options, status] of refusals) {
      expect((await call("POST", path, { key: s.key, ...options })).status).toBe(status);
    }
    const once = { "idempotency-key": "openapi-once" };
    expect(
      (await call("POST", path, { key: s.key, body: send("+14155550144"), headers: once })).status,
    ).toBe(200);
    const reused = await call("POST", path, {
      key: s.key,
      body: send("+14155550145"),
      headers: once,
    });
    expect(reused.status).toBe(422);
    // The destination's limit (3 sends in the window).
    let last = 0;
    for (let i = 0; i < 4; i++) {
      last = (await call("POST", path, { key: s.key, body: send("+14155550146") })).status;
    }
    expect(last).toBe(429);
    const noClientKey = (
      await createApiKey(s.ctx, { name: "bare", environment: "test", scopes: ["proxy"] })
    ).key;
    expect(
      (await call("POST", path, { key: noClientKey, body: send("+14155550147") })).status,
    ).toBe(409);
  });

  it("Twilio's webhook intake and its HTTP Basic credentials and events", async () => {
    const path = "/api/v2/webhooks/twilio/{integration_id}/{kind}";
    const id = hooks.integration.id;
    const target = (kind: string, query = "") =>
      `http://localhost/api/v2/webhooks/twilio/${id}/${kind}${query}`;
    const form = { MessageSid: `SM${"7e".repeat(16)}`, MessageStatus: "delivered" };
    const post = (kind: string, params: Record<string, string>, signed = true, extra: Json = {}) =>
      call("POST", path, {
        params: { integration_id: id, kind },
        raw: new URLSearchParams(params).toString(),
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          ...(signed
            ? {
                "x-twilio-signature": twilio.getExpectedTwilioSignature(
                  HOOK_SECRET,
                  target(kind),
                  params,
                ),
              }
            : {}),
          ...(extra as Record<string, string>),
        },
      });
    const get = (kind: string, query: string, signed = true) =>
      call("GET", path, {
        params: { integration_id: id, kind },
        query,
        headers: signed
          ? {
              "x-twilio-signature": twilio.getExpectedTwilioSignature(
                HOOK_SECRET,
                target(kind, query),
                {},
              ),
            }
          : {},
      });
    expect((await post("message-status", form)).status).toBe(200);
    const twiml = await post("sms", { ...form, Body: "hello" });
    expect([twiml.status, twiml.headers.get("content-type")]).toEqual([200, "text/xml"]);
    expect((await post("message-status", form, false)).status).toBe(403);
    expect((await post("nope", form)).status).toBe(404);
    expect((await post("message-status", { ...form, Body: "a\u0000b" })).status).toBe(400);
    expect((await post("message-status", { Body: "x".repeat(70 * 1024) })).status).toBe(413);
    const query = `?${new URLSearchParams(form).toString()}`;
    expect((await get("message-status", query)).status).toBe(200);
    expect((await get("message-status", query, false)).status).toBe(403);
    expect((await get("nope", query)).status).toBe(404);
    expect((await get("message-status", `${query}&Body=a%00b`)).status).toBe(400);

    const events = "/api/v2/integrations/{integration_id}/webhook-events";
    const listed = await call("GET", events, { key: s.key, params: { integration_id: id } });
    expect([listed.status, (listed.body.webhook_events as unknown[]).length > 0]).toEqual([
      200,
      true,
    ]);
    expect(
      (
        await call("GET", events, {
          key: s.key,
          params: { integration_id: id },
          query: "?cursor=x",
        })
      ).status,
    ).toBe(400);
    expect((await call("GET", events, { key: s.key, params: someParams() })).status).toBe(404);

    const auth = "/api/v2/integrations/{integration_id}/intake-auth";
    expect((await call("POST", auth, { key: s.key, params: { integration_id: id } })).status).toBe(
      200,
    );
    expect((await post("message-status", form)).status).toBe(401);
    expect((await get("message-status", query)).status).toBe(401);
    expect(
      (await call("DELETE", auth, { key: s.key, params: { integration_id: id } })).status,
    ).toBe(204);
    for (const method of ["POST", "DELETE"]) {
      expect((await call(method, auth, { key: s.key, params: someParams() })).status).toBe(404);
    }
  });

  it("reaches every documented status of every route (or says why not)", () => {
    const missing: string[] = [];
    const needless: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const status of Object.keys((op as { responses: Json }).responses)) {
          const name = `${method.toUpperCase()} ${path} ${status}`;
          const excused = UNREACHED[name] ?? UNREACHED[`* ${status}`];
          if (!reached.has(name) && !excused && status !== "4XX") missing.push(name);
          if (reached.has(name) && UNREACHED[name]) needless.push(name);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(needless).toEqual([]);
  });
});
