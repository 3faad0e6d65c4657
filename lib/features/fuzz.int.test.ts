// Property test (#14): generated bad input thrown at every /api/v2 route handler (the Twilio
// webhook intake excepted: it has its own tests), the console's JSON routes and every server
// action. Whatever arrives, the answer is never a 5xx (an action answers with an error state
// and does not throw), every 4xx carries a stable code, and a refused input writes nothing.
// Reproduce a failure with FUZZ_SEED=<seed> (fast-check prints it); FUZZ_RUNS scales the runs.
import { readdirSync } from "node:fs";
import fc from "fast-check";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as auditEventsRoute from "@/app/api/v2/audit/events/route";
import * as auditExportRoute from "@/app/api/v2/audit/export/route";
import * as auditVerifyRoute from "@/app/api/v2/audit/verify/route";
import * as integrationRoute from "@/app/api/v2/integrations/[integrationId]/route";
import * as intakeAuthRoute from "@/app/api/v2/integrations/[integrationId]/intake-auth/route";
import * as webhookEventsRoute from "@/app/api/v2/integrations/[integrationId]/webhook-events/route";
import * as openApiRoute from "@/app/api/v2/openapi.json/route";
import * as noSuchRoute from "@/app/api/v2/[...path]/route";
import * as integrationsRoute from "@/app/api/v2/integrations/route";
import * as keysRoute from "@/app/api/v2/keys/route";
import * as outboundRoute from "@/app/api/v2/proxy/outbound/route";
import * as credentialRoute from "@/app/api/v2/vault/credentials/[credentialId]/route";
import * as rotateRoute from "@/app/api/v2/vault/credentials/[credentialId]/rotate/route";
import * as credentialsRoute from "@/app/api/v2/vault/credentials/route";
import * as sealRoute from "@/app/api/v2/vault/seal/route";
import * as consoleAuditEventsRoute from "@/app/api/tenants/[tenantId]/audit/events/route";
import * as consoleAuditExportRoute from "@/app/api/tenants/[tenantId]/audit/export/route";
import * as memberRoute from "@/app/api/tenants/[tenantId]/members/[membershipId]/route";
import * as membersRoute from "@/app/api/tenants/[tenantId]/members/route";
import * as accountActions from "@/lib/features/account/actions";
import * as apiKeyActions from "@/lib/features/api-keys/actions";
import * as auditActions from "@/lib/features/audit/actions";
import * as auditStreamActions from "@/lib/features/audit-streams/actions";
import * as authActions from "@/lib/features/auth/actions";
import * as integrationActions from "@/lib/features/integrations/actions";
import * as memberActions from "@/lib/features/members/actions";
import * as mfaActions from "@/lib/features/mfa/actions";
import * as mfaSignInActions from "@/lib/features/mfa/sign-in-actions";
import * as stepUpActions from "@/lib/features/mfa/step-up-actions";
import * as proxyActions from "@/lib/features/proxy/actions";
import * as settingsActions from "@/lib/features/settings/actions";
import * as ssoActions from "@/lib/features/sso/actions";
import * as tenantActions from "@/lib/features/tenants/actions";
import * as vaultActions from "@/lib/features/vault/actions";
import * as webhookActions from "@/lib/features/webhooks/actions";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { listTenantKeys } from "@/lib/platform/keys/tenant-keys";
import { AUDIT_ACTION_NAMES, AUDIT_OUTCOMES } from "@/lib/shared/audit-vocabulary";
import { newId } from "@/lib/shared/ids";
import { createClient } from "@/lib/shared/sdk/index";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { hostileWorld, snapshot } from "@/test/bad-input";
import { ACCOUNT, FROM, KEY_SECRET, KEY_SID, TOKEN, VERIFY_SID } from "@/test/proxy-setup";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
  // No sign-in is half-way here: the second-step actions send the caller back to /sign-in.
  currentPendingUser: () => Promise.resolve(null),
}));
// Auth.js does not load outside Next.js; what happens after a valid sign-in form is not the
// subject here (lib/platform/auth has its own tests).
vi.mock("@/lib/platform/auth/auth", () => ({
  signIn: () => Promise.resolve(undefined),
  signOut: () => Promise.resolve(undefined),
  auth: () => Promise.resolve(null),
}));
vi.mock("next-auth", () => {
  class AuthError extends Error {}
  class CredentialsSignin extends AuthError {
    code = "credentials";
  }
  return { AuthError, CredentialsSignin };
});
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const runs = (factor = 1) => ({
  numRuns: Math.max(1, Math.round(RUNS * factor)),
  ...(SEED === undefined ? {} : { seed: SEED }),
  endOnFailure: true,
});

type World = Awaited<ReturnType<typeof hostileWorld>>;
let w: World;
let double: TwilioDouble;

beforeAll(async () => {
  double = await startTwilioDouble({
    port: Number(process.env.TWILIO_DOUBLE_PORT),
    accounts: [{ sid: ACCOUNT, authToken: TOKEN, apiKeys: [{ sid: KEY_SID, secret: KEY_SECRET }] }],
  });
  w = await hostileWorld((user) => (session.user = user));
});
afterAll(() => double.close());

// FUZZ_STATS=1 prints how the answers were spread (how deep the generated input got).
const STATS: Record<string, number> = {};
const count = (key: string) => void (STATS[key] = (STATS[key] ?? 0) + 1);
afterAll(() => {
  if (process.env.FUZZ_STATS) console.log(JSON.stringify(STATS, null, 1));
});

// ---- what bad input is made of ----

const deep = (n: number): unknown => (n === 0 ? "bottom" : [deep(n - 1)]);
const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\u202Eevil.exe",
  "\u2066x\u2069",
  "\u200F",
  "\u0085",
  "\u001B[2J",
  "\t",
  "\r\n",
  "\uD800",
  "a\uDFFFb",
  "..",
  "../../../etc/passwd",
  "%00",
  "%2e%2e%2f",
  "'; drop table tenants; --",
  "<script>alert(1)</script>",
  "{{7*7}}",
  "👩‍💻",
  "Zürich",
  "東京",
  "null",
  "true",
  "1e3",
  "0x10",
  "-1",
  "NaN",
  "9".repeat(400),
  "+14155550123",
  "ten_",
  "int_",
  "x".repeat(5_000),
];
// Control, text-direction and half-surrogate characters, mixed into ordinary text.
const HOSTILE_CHARS = [
  "\u0000",
  "\u0007",
  "\u001B",
  "\u007F",
  "\u0085",
  "\u009B",
  "\u202A",
  "\u202E",
  "\u2066",
  "\u2069",
  "\u200E",
  "\u200F",
  "\u061C",
  "\uD800",
  "\uDFFF",
  "\t",
  "\n",
];
const hostileString = fc
  .array(
    fc.oneof(
      // NUL is what PostgreSQL refuses outright: the most likely 500, so the most frequent.
      { weight: 3, arbitrary: fc.constant("\u0000") },
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_CHARS) },
      { weight: 4, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 4 }) },
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(""));
const nastyString = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: nastyString },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1, 1.5, 1e308, 2 ** 53 + 2, 1e21),
  },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constant(deep(40)) },
);

type Spec = Record<string, fc.Arbitrary<unknown>>;

/**
 * An object built from `spec`'s good values, then one of its fields, or a stray one, spoiled
 * with `bad` or left out: one bad field at a time gets past the others' validation and reaches
 * deeper than many at once. `optional`: the good fields may be missing too; `sometimes`: the
 * spoiling may be skipped (for objects nested in one that is spoiled already).
 */
function spoiled<T>(
  spec: Record<string, fc.Arbitrary<T>>,
  bad: fc.Arbitrary<T>,
  { optional = false, sometimes = false } = {},
): fc.Arbitrary<Record<string, T>> {
  const keys = Object.keys(spec);
  const key =
    keys.length > 0
      ? fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...keys) },
          { weight: 1, arbitrary: nastyString },
        )
      : nastyString;
  return fc
    .tuple(
      fc.record(spec, optional ? { requiredKeys: [] } : {}),
      fc.dictionary(key, fc.option(bad, { nil: undefined, freq: 6 }), {
        minKeys: sometimes ? 0 : 1,
        maxKeys: 1,
      }),
    )
    .map(([good, spoils]) => {
      const out: Record<string, T> = { ...(good as Record<string, T>) };
      for (const [k, v] of Object.entries(spoils)) {
        if (v === undefined) delete out[k];
        else out[k] = v;
      }
      return out;
    });
}
const mutated = (spec: Spec) => spoiled(spec, nastyValue);
const nested = (spec: Spec) => spoiled(spec, nastyValue, { sometimes: true });

const NEAR_CAP = JSON.stringify({ name: "n".repeat(60 * 1024) });
const OVER_CAP = JSON.stringify({ name: "n".repeat(70 * 1024) });
/** A JSON body: one of `specs` spoiled, or not the right shape at all, or not JSON. */
const jsonBody = (specs: Spec[]) =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .constantFrom(...specs)
        .chain(mutated)
        .map((v) => JSON.stringify(v)),
    },
    // Good at the top (what is nested in it may still be spoiled): reaches the service.
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(...specs)
        .chain(fc.record)
        .map((v) => JSON.stringify(v)),
    },
    { weight: 2, arbitrary: nastyValue.map((v) => JSON.stringify(v) ?? "null") },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "",
        "{",
        "[]",
        "null",
        '"x"',
        '{"a":"\\u0000"}',
        '{"\\u0000":1}',
        NEAR_CAP,
        OVER_CAP,
        JSON.stringify(deep(200)),
      ),
    },
  );

const BAD_DATES = [
  "-100000-01-01T00:00:00Z",
  "+275760-09-13T00:00:00Z",
  "99999",
  "1969-12-31T23:59:59Z",
  "2026-13-45",
  "1e3",
  "9".repeat(30),
];
const GOOD_DATE = fc.constantFrom("2026-01-01T00:00:00Z", "2020-02-29", "9999-12-31T23:59:59Z");
const auditQuery: Spec = {
  from: GOOD_DATE,
  to: GOOD_DATE,
  action: fc.constantFrom("", ...AUDIT_ACTION_NAMES.slice(0, 5)),
  outcome: fc.constantFrom("", ...AUDIT_OUTCOMES),
  actor: fc.constantFrom("usr_01ARZ3NDEKTSV4RRFFQ69G5FAV", "a@example.test", "qs_live_x"),
  integration: fc.constantFrom("int_01ARZ3NDEKTSV4RRFFQ69G5FAV"),
  target: fc.constantFrom("x"),
  destination: fc.constantFrom("+14155550123", "0"),
  limit: fc.constantFrom("1", "50", "200"),
  cursor: fc.constantFrom("1", "9007199254740991"),
  format: fc.constantFrom("jsonl", "csv"),
};
const badQueryValue = fc.oneof(
  fc.constantFrom(
    ...BAD_DATES,
    ...BAD_DATES,
    "0",
    "-5",
    "1.5",
    "1e2",
    "201",
    "9".repeat(20),
    "xml",
  ),
  nastyValue,
);
/** A query string: known parameters with good or bad values, and stray ones. */
const queryString = (spec: Spec) =>
  spoiled(spec, badQueryValue, { optional: true, sometimes: true }).map((params) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      search.append(key, typeof value === "string" ? value : (JSON.stringify(value) ?? ""));
    }
    return search.toString();
  });

/** An id path parameter or field: the real one (`realWeight` in 9), or anything but. */
const idLike = (real: () => string, realWeight = 2) =>
  fc.oneof(
    { weight: realWeight, arbitrary: fc.constant("real").map(() => real()) },
    { weight: 4, arbitrary: nastyString },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "\u0000",
        "..",
        "x".repeat(10_000),
        "ünïcödé",
        "int_01ARZ3NDEKTSV4RRFFQ69G5FAV",
        "cred_01ARZ3NDEKTSV4RRFFQ69G5FAV",
        "ten_01ARZ3NDEKTSV4RRFFQ69G5FAV",
        "mem_01ARZ3NDEKTSV4RRFFQ69G5FAV",
      ),
    },
    { weight: 1, arbitrary: fc.constant("lower").map(() => real().toLowerCase()) },
  );
/** Nonexistent ids of a kind (for what a real id would destroy: our own key, integration). */
const unknownId = (kind: Parameters<typeof newId>[0]) =>
  fc.oneof(fc.constant(kind).map(newId), nastyString);

// ---- the routes ----

type Handler = (request: NextRequest, route: { params: Promise<never> }) => Promise<Response>;
const handler = (h: unknown) => h as Handler;

interface RouteCase {
  name: string;
  method: string;
  handler: Handler;
  /** The path with its params filled in (encoded as a client would). */
  path: (p: Record<string, string>) => string;
  params?: Record<string, fc.Arbitrary<string>>;
  query?: Spec;
  /** Bodies a client would send (each is sent with a field or two spoiled). */
  body?: Spec[];
  /** Console routes are called with the signed-in owner's session, not an API key. */
  console?: boolean;
  /** A successful call may write (others never write at all). */
  writes?: boolean;
  runs?: number;
}

const enc = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%EF%BF%BD"; // a lone surrogate cannot be encoded; Next.js would decode U+FFFD
  }
};
const tenantParam = () => idLike(() => w.tenantId, 5);
const MG = `MG${"5b".repeat(16)}`;
const integrationSpec = (): Spec => ({
  name: fc.constantFrom("Alerts", "x"),
  system_type: fc.constant("twilio"),
  credential_id: fc.constant("real").map(() => w.credentialId),
  webhook_credential_id: fc.constant(null),
  allowed_operations: fc.subarray(["send_sms", "make_call", "list_messages"]),
  allowed_countries: fc.constantFrom(["US"], ["us", "GB"], []),
  default_from: fc.constantFrom(FROM, null),
  verify_service_sid: fc.constantFrom(VERIFY_SID, null),
  messaging_service_sid: fc.constantFrom(MG, null),
  sends_per_destination: fc.integer({ min: 1, max: 1000 }),
  key_burst: fc.integer({ min: 1, max: 100 }),
  forward_url: fc.constantFrom("https://93.184.216.34/in", null),
  enabled: fc.boolean(),
});
const { system_type: _systemType, ...integrationChangeSpec } = integrationSpec();
const CREDENTIALS: Spec[] = [
  {
    credential_type: fc.constant("basic_auth"),
    values: nested({ username: fc.constant(ACCOUNT), password: fc.constant(TOKEN) }),
  },
  {
    credential_type: fc.constant("webhook_secret"),
    values: nested({ secret: fc.constant("whsec-value-123456") }),
  },
  {
    credential_type: fc.constant("api_key"),
    values: nested({
      account_sid: fc.constant(ACCOUNT),
      key_sid: fc.constant(KEY_SID),
      key_secret: fc.constant(KEY_SECRET),
    }),
  },
];
const TO = fc.constantFrom("+14155550123", "+447700900123", "+1 (415) 555-0124");
/** One body per operation, so that a spoiled field is the only thing wrong with it. */
const PAYLOADS: [string, Spec][] = [
  ["send_sms", { to: TO, body: fc.string({ minLength: 1, maxLength: 20 }) }],
  ["send_sms", { to: TO, from: fc.constantFrom(FROM, "+14155550100"), body: fc.constant("hi") }],
  ["send_sms", { to: TO, messaging_service_sid: fc.constant(MG), body: fc.constant("hi") }],
  [
    "send_sms",
    { to: TO, media_url: fc.constantFrom("https://example.com/a.png", ["https://example.com/b"]) },
  ],
  ["make_call", { to: TO, twiml: fc.constant("<Response/>") }],
  ["list_messages", { page_size: fc.integer({ min: 1, max: 50 }) }],
  ["create_verification", { to: TO, channel: fc.constant("sms") }],
  [
    "check_verification",
    { verification_sid: fc.constant(`VE${"4c".repeat(16)}`), code: fc.constant("123456") },
  ],
];
const OUTBOUND: Spec[] = PAYLOADS.map(([operation, payload]) => ({
  integration_id: fc.constant("real").map(() => w.integrationId),
  operation: fc.constant(operation),
  payload: nested(payload),
}));

const ROUTES: RouteCase[] = [
  {
    name: "POST /api/v2/proxy/outbound",
    method: "POST",
    handler: handler(outboundRoute.POST),
    path: () => "/api/v2/proxy/outbound",
    body: OUTBOUND,
    // First, while the world's integration is as set up (later routes may change it).
    writes: true,
    runs: 1.5,
  },
  {
    name: "GET /api/v2/audit/events",
    method: "GET",
    handler: handler(auditEventsRoute.GET),
    path: () => "/api/v2/audit/events",
    query: auditQuery,
  },
  {
    name: "GET /api/v2/audit/export",
    method: "GET",
    handler: handler(auditExportRoute.GET),
    path: () => "/api/v2/audit/export",
    query: auditQuery,
    writes: true,
    runs: 0.5,
  },
  {
    name: "POST /api/v2/audit/verify",
    method: "POST",
    handler: handler(auditVerifyRoute.POST),
    path: () => "/api/v2/audit/verify",
    body: [{ full: fc.boolean() }],
    writes: true,
    runs: 0.25,
  },
  {
    name: "GET /api/v2/integrations",
    method: "GET",
    handler: handler(integrationsRoute.GET),
    path: () => "/api/v2/integrations",
    query: { limit: nastyString, cursor: nastyString },
  },
  {
    name: "POST /api/v2/integrations",
    method: "POST",
    handler: handler(integrationsRoute.POST),
    path: () => "/api/v2/integrations",
    body: [integrationSpec()],
    writes: true,
  },
  {
    name: "GET /api/v2/integrations/{id}",
    method: "GET",
    handler: handler(integrationRoute.GET),
    path: (p) => `/api/v2/integrations/${enc(p.integrationId ?? "")}`,
    params: { integrationId: idLike(() => w.integrationId) },
  },
  {
    name: "PATCH /api/v2/integrations/{id}",
    method: "PATCH",
    handler: handler(integrationRoute.PATCH),
    path: (p) => `/api/v2/integrations/${enc(p.integrationId ?? "")}`,
    params: { integrationId: idLike(() => w.integrationId) },
    body: [integrationChangeSpec],
    writes: true,
  },
  {
    name: "DELETE /api/v2/integrations/{id}",
    method: "DELETE",
    handler: handler(integrationRoute.DELETE),
    path: (p) => `/api/v2/integrations/${enc(p.integrationId ?? "")}`,
    params: { integrationId: unknownId("integration") },
  },
  {
    name: "POST /api/v2/integrations/{id}/intake-auth",
    method: "POST",
    handler: handler(intakeAuthRoute.POST),
    path: (p) => `/api/v2/integrations/${enc(p.integrationId ?? "")}/intake-auth`,
    params: { integrationId: idLike(() => w.integrationId) },
    writes: true,
  },
  {
    name: "DELETE /api/v2/integrations/{id}/intake-auth",
    method: "DELETE",
    handler: handler(intakeAuthRoute.DELETE),
    path: (p) => `/api/v2/integrations/${enc(p.integrationId ?? "")}/intake-auth`,
    params: { integrationId: idLike(() => w.integrationId) },
    writes: true,
  },
  {
    name: "GET /api/v2/integrations/{id}/webhook-events",
    method: "GET",
    handler: handler(webhookEventsRoute.GET),
    path: (p) => `/api/v2/integrations/${enc(p.integrationId ?? "")}/webhook-events`,
    params: { integrationId: idLike(() => w.integrationId) },
    query: { limit: nastyString, cursor: nastyString },
  },
  {
    name: "ANY /api/v2/<no such route>",
    method: "POST",
    handler: handler(noSuchRoute.POST),
    path: (p) => `/api/v2/${encodeURIComponent(p.path ?? "")}`,
    // Whole characters only: a lone surrogate cannot be put in a URL at all.
    params: { path: fc.string({ unit: "grapheme", maxLength: 40 }) },
    body: [{ anything: nastyString }],
  },
  {
    name: "GET /api/v2/openapi.json",
    method: "GET",
    handler: handler(openApiRoute.GET),
    path: () => "/api/v2/openapi.json",
    query: { format: nastyString },
  },
  {
    name: "GET /api/v2/keys",
    method: "GET",
    handler: handler(keysRoute.GET),
    path: () => "/api/v2/keys",
    query: { kind: nastyString },
    // It records which signing keys the calling key fetched (Settings shows them).
    writes: true,
  },

  {
    name: "GET /api/v2/vault/credentials",
    method: "GET",
    handler: handler(credentialsRoute.GET),
    path: () => "/api/v2/vault/credentials",
    query: { type: nastyString, limit: nastyString, cursor: nastyString },
  },
  {
    name: "DELETE /api/v2/vault/credentials/{id}",
    method: "DELETE",
    handler: handler(credentialRoute.DELETE),
    path: (p) => `/api/v2/vault/credentials/${enc(p.credentialId ?? "")}`,
    // The real credential is in use by the integration: its deletion is refused (409).
    params: { credentialId: idLike(() => w.credentialId) },
  },
  {
    name: "POST /api/v2/vault/credentials/{id}/rotate",
    method: "POST",
    handler: handler(rotateRoute.POST),
    path: (p) => `/api/v2/vault/credentials/${enc(p.credentialId ?? "")}/rotate`,
    params: { credentialId: idLike(() => w.credentialId) },
    body: CREDENTIALS.map(({ values = fc.constant({}) }) => ({
      values,
      grace_seconds: fc.integer({ min: 0, max: 86_400 }),
    })),
    writes: true,
  },
  {
    name: "POST /api/v2/vault/seal",
    method: "POST",
    handler: handler(sealRoute.POST),
    path: () => "/api/v2/vault/seal",
    body: CREDENTIALS.map((spec) => ({
      ...spec,
      name: fc.constantFrom("fuzzed", "n"),
      grace_seconds: fc.integer({ min: 0, max: 86_400 }),
    })),
    writes: true,
  },
  {
    name: "GET /api/tenants/{tenantId}/audit/events",
    method: "GET",
    handler: handler(consoleAuditEventsRoute.GET),
    path: (p) => `/api/tenants/${enc(p.tenantId ?? "")}/audit/events`,
    params: { tenantId: tenantParam() },
    query: auditQuery,
    console: true,
  },
  {
    name: "GET /api/tenants/{tenantId}/audit/export",
    method: "GET",
    handler: handler(consoleAuditExportRoute.GET),
    path: (p) => `/api/tenants/${enc(p.tenantId ?? "")}/audit/export`,
    params: { tenantId: tenantParam() },
    query: auditQuery,
    console: true,
    writes: true,
    runs: 0.5,
  },
  {
    name: "GET /api/tenants/{tenantId}/members",
    method: "GET",
    handler: handler(membersRoute.GET),
    path: (p) => `/api/tenants/${enc(p.tenantId ?? "")}/members`,
    params: { tenantId: tenantParam() },
    console: true,
  },
  {
    name: "PATCH /api/tenants/{tenantId}/members/{membershipId}",
    method: "PATCH",
    handler: handler(memberRoute.PATCH),
    path: (p) => `/api/tenants/${enc(p.tenantId ?? "")}/members/${enc(p.membershipId ?? "")}`,
    // The owner is the tenant's only owner: changing the real membership is refused (409).
    params: { tenantId: tenantParam(), membershipId: idLike(() => w.membershipId) },
    body: [{ role: fc.constantFrom("owner", "admin", "operator", "auditor") }],
    console: true,
  },
  {
    name: "DELETE /api/tenants/{tenantId}/members/{membershipId}",
    method: "DELETE",
    handler: handler(memberRoute.DELETE),
    path: (p) => `/api/tenants/${enc(p.tenantId ?? "")}/members/${enc(p.membershipId ?? "")}`,
    params: { tenantId: tenantParam(), membershipId: idLike(() => w.membershipId) },
    console: true,
  },
];

/** Every route module fuzzed here, by file (the test above checks none is missing). */
const ROUTE_MODULES: Record<string, object> = {
  "app/api/v2/audit/events/route.ts": auditEventsRoute,
  "app/api/v2/audit/export/route.ts": auditExportRoute,
  "app/api/v2/audit/verify/route.ts": auditVerifyRoute,
  "app/api/v2/integrations/[integrationId]/route.ts": integrationRoute,
  "app/api/v2/integrations/[integrationId]/intake-auth/route.ts": intakeAuthRoute,
  "app/api/v2/integrations/route.ts": integrationsRoute,
  "app/api/v2/integrations/[integrationId]/webhook-events/route.ts": webhookEventsRoute,
  "app/api/v2/openapi.json/route.ts": openApiRoute,
  "app/api/v2/[...path]/route.ts": noSuchRoute,
  "app/api/v2/keys/route.ts": keysRoute,
  "app/api/v2/proxy/outbound/route.ts": outboundRoute,
  "app/api/v2/vault/credentials/[credentialId]/route.ts": credentialRoute,
  "app/api/v2/vault/credentials/[credentialId]/rotate/route.ts": rotateRoute,
  "app/api/v2/vault/credentials/route.ts": credentialsRoute,
  "app/api/v2/vault/seal/route.ts": sealRoute,
  "app/api/tenants/[tenantId]/audit/events/route.ts": consoleAuditEventsRoute,
  "app/api/tenants/[tenantId]/audit/export/route.ts": consoleAuditExportRoute,
  "app/api/tenants/[tenantId]/members/[membershipId]/route.ts": memberRoute,
  "app/api/tenants/[tenantId]/members/route.ts": membersRoute,
};

/**
 * Refusals that write by design, and the tables they may change: policy denials are audited
 * (within a budget kept in rate_buckets when anyone can repeat them at will); a rate limit
 * counts the attempt it refuses (the proxy's console form may meet either).
 */
const AUDITED = ["audit_events", "audit_chain_heads"];
const AUDITED_WITHIN_BUDGET = [...AUDITED, "rate_buckets"];
const BOOKKEEPING = [...AUDITED, "rate_buckets", "rate_windows"];
/** A credential tried against Twilio before it is stored spends the tenant's check budget. */
const CHECK_BUDGET = ["rate_buckets"];
const REFUSALS_THAT_WRITE: Record<string, string[]> = {
  integration_disabled: AUDITED_WITHIN_BUDGET,
  operation_not_allowed: AUDITED_WITHIN_BUDGET,
  destination_not_allowed: AUDITED_WITHIN_BUDGET,
  sender_not_allowed: AUDITED_WITHIN_BUDGET,
  end_user_required: AUDITED_WITHIN_BUDGET,
  ip_not_allowed: AUDITED_WITHIN_BUDGET,
  insufficient_scope: AUDITED,
  forbidden: AUDITED,
  rate_limited_api_key: BOOKKEEPING,
  rate_limited_destination: BOOKKEEPING,
  rate_limited_verification_checks: BOOKKEEPING,
  rate_limited_end_user_ip: BOOKKEEPING,
  rate_limited_end_user_id: BOOKKEEPING,
  credential_rejected: CHECK_BUDGET,
  credential_account_mismatch: CHECK_BUDGET,
  credential_check_failed: CHECK_BUDGET,
  upstream_unavailable: CHECK_BUDGET,
  rate_limited_credential_checks: CHECK_BUDGET,
};
const without = (s: Record<string, string>, tables: string[] = []) =>
  Object.fromEntries(Object.entries(s).filter(([table]) => !tables.includes(table)));

/**
 * The stable code of a refusal: the JSON error's, or, for a proxy call Twilio refused, the one
 * inside the envelope (encrypted to the key's client key, opened here as the SDK would).
 */
async function refusalOf(text: string): Promise<{ code: string; byTwilio: boolean }> {
  const body = JSON.parse(text) as { code?: unknown; encrypted?: unknown };
  if (body.encrypted === undefined) return { code: String(body.code), byTwilio: false };
  const signing = await listTenantKeys(w.tenantId, "signing");
  const client = createClient({
    baseUrl: "http://localhost",
    tenantId: w.tenantId,
    apiKey: w.apiKey,
    clientKeyId: w.clientKeyId,
    clientSecretKey: w.clientSecretKey,
    signingPublicKeys: Object.fromEntries(signing.map((k) => [k.id, k.publicKey])),
  });
  const payload = client.encryption.decrypt(body) as { error?: { code?: unknown } };
  return { code: String(payload.error?.code), byTwilio: true };
}

function routeInput(route: RouteCase) {
  return fc.record({
    params: fc.record(route.params ?? {}),
    query: route.query ? queryString(route.query) : fc.constant(""),
    body: route.body ? jsonBody(route.body) : fc.constant(undefined),
  });
}

async function callRoute(
  route: RouteCase,
  input: { params: Record<string, string>; query: string; body: string | undefined },
) {
  const headers = new Headers({ "content-type": "application/json" });
  if (!route.console) headers.set("x-api-key", w.apiKey);
  const url = `http://localhost${route.path(input.params)}${input.query ? `?${input.query}` : ""}`;
  const request = new NextRequest(url, {
    method: route.method,
    headers,
    ...(input.body === undefined ? {} : { body: input.body }),
  });
  return route.handler(request, { params: Promise.resolve(input.params as never) });
}

describe("fuzz: every /api/v2 route and console JSON route (#14)", () => {
  it("covers every route handler under app/api/v2 (but the webhook intake) and the console's", () => {
    const files = readdirSync("app/api", { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith("route.ts") && /^(v2|tenants)\//.test(f))
      .filter((f) => !f.startsWith("v2/webhooks/"))
      .map((f) => `app/api/${f}`)
      .sort();
    expect(files).toEqual(Object.keys(ROUTE_MODULES).sort());
    const fuzzed = new Set(ROUTES.map((r) => r.handler));
    const missing = Object.entries(ROUTE_MODULES).flatMap(([file, module]) =>
      Object.entries(module)
        .filter(([, fn]) => typeof fn === "function" && !fuzzed.has(fn as Handler))
        .map(([method]) => `${method} ${file}`),
    );
    expect(missing).toEqual([]);
  });

  it.each(ROUTES.map((r) => [r.name, r] as const))(
    "%s: no 5xx, a code on every 4xx, nothing written when refused",
    async (_name, route) => {
      session.user = w.user;
      await fc.assert(
        fc.asyncProperty(routeInput(route), async (input) => {
          const before = await snapshot(w.tenantId);
          const res = await callRoute(route, input);
          // Read the whole body: a streamed export that fails after its 200 shows here.
          const text = await res.text();
          const summary = `${route.name} -> ${res.status} ${text.slice(0, 300)}`;
          expect(res.status, summary).toBeLessThan(500);
          const after = await snapshot(w.tenantId);
          if (res.status >= 400) {
            const { code, byTwilio } = await refusalOf(text);
            count(`${route.name} ${res.status} ${code}`);
            expect(code, summary).toMatch(/^[a-z][a-z0-9_]*$/);
            // Twilio's own refusal: the call was made, and audited, as it should be.
            if (byTwilio) return;
            const mayWrite = REFUSALS_THAT_WRITE[code];
            expect(without(after, mayWrite), summary).toEqual(without(before, mayWrite));
          } else {
            count(`${route.name} ${res.status}`);
            if (!route.writes) expect(after, summary).toEqual(before);
          }
        }),
        runs(route.runs),
      );
    },
  );
});

// ---- the server actions ----

type Action = (prev: object, form: unknown) => Promise<unknown>;
interface ActionCase {
  action: Action;
  /** The form's fields and good values for them (others are generated around them). */
  fields: Spec;
  /** Actions of a tenant get its id in the form (mostly the right one). */
  tenant?: boolean;
  /** Runs the proxy pipeline: its refusals may be audited denials or counted rate limits. */
  proxy?: boolean;
  /** Its refusals are audited (a wrong second factor at step-up is `auth.mfa_failed`). */
  audits?: boolean;
  /** Tries a credential against Twilio: a refusal may have spent the check budget. */
  checksCredential?: boolean;
  runs?: number;
}
const action = (a: unknown) => a as Action;
const text = (...values: string[]) => fc.constantFrom(...values);
const INTERNAL = "Something went wrong on our side. Please try again.";

const ACTIONS: Record<string, ActionCase> = {
  createApiKeyAction: {
    action: action(apiKeyActions.createApiKeyAction),
    tenant: true,
    fields: {
      name: text("svc"),
      environment: text("live", "test"),
      scopes: fc.subarray(["proxy", "vault:seal", "root"]),
      clientPublicKey: text("", "AAAA"),
      expiresInDays: text("", "30", "1e3", "0"),
    },
  },
  revokeApiKeyAction: {
    action: action(apiKeyActions.revokeApiKeyAction),
    tenant: true,
    fields: { keyId: unknownId("apiKey") },
  },
  rollApiKeyAction: {
    action: action(apiKeyActions.rollApiKeyAction),
    tenant: true,
    fields: {
      keyId: unknownId("apiKey"),
      graceHours: text("", "24", "-1", "1e3", "721"),
      expiresInDays: text("", "30", "0"),
    },
  },
  updateApiKeyAccessAction: {
    action: action(apiKeyActions.updateApiKeyAccessAction),
    tenant: true,
    fields: {
      keyId: unknownId("apiKey"),
      allowedNetworks: text("", "10.0.0.0/8", "10.0.0/8", "::1, 2001:db8::/32", "nope"),
      ratePerSecond: text("", "5", "0", "1.5"),
      burst: text("", "10", "-1"),
    },
  },
  verifyChainAction: {
    action: action(auditActions.verifyChainAction),
    tenant: true,
    fields: {},
    runs: 0.25,
  },
  signCheckpointAction: {
    action: action(auditActions.signCheckpointAction),
    tenant: true,
    fields: {},
    runs: 0.25,
  },
  signInAction: {
    action: action(authActions.signInAction),
    fields: {
      email: text("owner@example.test", "not-an-email"),
      password: text("correct horse battery staple", ""),
      callbackUrl: text("/t/x", "https://evil.example.com", "//evil.example.com"),
    },
  },
  signOutAction: { action: action(authActions.signOutAction), fields: {}, runs: 0.25 },
  startTotpAction: { action: action(mfaActions.startTotpAction), fields: {}, runs: 0.25 },
  confirmTotpAction: {
    action: action(mfaActions.confirmTotpAction),
    fields: { code: text("123456", "12 34 56", "abcdef", "") },
  },
  removeTotpAction: { action: action(mfaActions.removeTotpAction), fields: {}, runs: 0.25 },
  regenerateRecoveryCodesAction: {
    action: action(mfaActions.regenerateRecoveryCodesAction),
    fields: {},
    runs: 0.25,
  },
  passkeyRegistrationOptionsAction: {
    action: action(mfaActions.passkeyRegistrationOptionsAction),
    fields: {},
    runs: 0.25,
  },
  addPasskeyAction: {
    action: action(mfaActions.addPasskeyAction),
    fields: {
      name: text("Laptop", ""),
      response: text("{}", '{"id":"AAAA","type":"public-key"}', "null", "[]"),
    },
  },
  renamePasskeyAction: {
    action: action(mfaActions.renamePasskeyAction),
    fields: { passkeyId: unknownId("passkey"), name: text("Phone", "") },
  },
  removePasskeyAction: {
    action: action(mfaActions.removePasskeyAction),
    fields: { passkeyId: unknownId("passkey") },
  },
  cancelSignInAction: {
    action: action(mfaSignInActions.cancelSignInAction),
    fields: {},
    runs: 0.25,
  },
  secondFactorOptionsAction: {
    action: action(mfaSignInActions.secondFactorOptionsAction),
    fields: {},
    runs: 0.25,
  },
  secondFactorAction: {
    action: action(mfaSignInActions.secondFactorAction),
    fields: {
      method: text("totp", "recovery_code", "passkey", "password"),
      code: text("123456", "abcd-efgh-jkmn-pqrs"),
      response: text("{}"),
      callbackUrl: text("/t/x", "//evil.example.com"),
    },
    runs: 0.5,
  },
  passkeySignInOptionsAction: {
    action: action(mfaSignInActions.passkeySignInOptionsAction),
    fields: {},
    runs: 0.25,
  },
  passkeySignInAction: {
    action: action(mfaSignInActions.passkeySignInAction),
    fields: { response: text("{}", ""), callbackUrl: text("/t/x", "https://evil.example.com") },
  },
  stepUpOptionsAction: {
    action: action(stepUpActions.stepUpOptionsAction),
    fields: {},
    runs: 0.25,
  },
  stepUpAction: {
    action: action(stepUpActions.stepUpAction),
    audits: true,
    fields: {
      method: text("totp", "recovery_code", "passkey", "password"),
      code: text("123456", "abcd-efgh-jkmn-pqrs"),
      response: text("{}"),
      password: text("correct horse battery staple", "wrong"),
    },
  },
  createIntegrationAction: {
    action: action(integrationActions.createIntegrationAction),
    tenant: true,
    fields: {
      name: text("Alerts"),
      credential_id: fc.constant("real").map(() => w.credentialId),
      allowed_operations: fc.subarray(["send_sms", "make_call", "bogus"]),
      allowed_countries: text("US", "US, GB", "zz"),
      default_from: text(FROM, "", "555"),
      sends_per_destination: text("3", "1e3", "", "-1"),
      forward_url: text("", "https://93.184.216.34/in", "javascript:alert(1)"),
      enabled: text("on", "true", ""),
    },
  },
  updateIntegrationAction: {
    action: action(integrationActions.updateIntegrationAction),
    tenant: true,
    fields: {
      integrationId: idLike(() => w.integrationId),
      name: text("main"),
      credential_id: fc.constant("real").map(() => w.credentialId),
      key_burst: text("10000", "1e3", "0x10"),
      enabled: text("on"),
      allowed_operations: text("send_sms"),
      allowed_countries: text("US"),
      default_from: text(FROM),
    },
  },
  deleteIntegrationAction: {
    action: action(integrationActions.deleteIntegrationAction),
    tenant: true,
    fields: { integrationId: unknownId("integration") },
  },
  createInviteAction: {
    action: action(memberActions.createInviteAction),
    tenant: true,
    fields: { role: text("operator", "god") },
  },
  revokeInviteAction: {
    action: action(memberActions.revokeInviteAction),
    tenant: true,
    fields: { inviteId: unknownId("invite") },
  },
  changeRoleAction: {
    action: action(memberActions.changeRoleAction),
    tenant: true,
    fields: {
      membershipId: idLike(() => w.membershipId),
      role: text("admin", "owner", "root"),
    },
  },
  removeMemberAction: {
    action: action(memberActions.removeMemberAction),
    tenant: true,
    fields: { membershipId: idLike(() => w.membershipId) },
  },
  issueResetLinkAction: {
    action: action(memberActions.issueResetLinkAction),
    tenant: true,
    fields: { membershipId: idLike(() => w.membershipId) },
  },
  unlockMemberAction: {
    action: action(memberActions.unlockMemberAction),
    tenant: true,
    fields: { membershipId: idLike(() => w.membershipId) },
  },
  endMemberSessionsAction: {
    action: action(memberActions.endMemberSessionsAction),
    tenant: true,
    fields: { membershipId: idLike(() => w.membershipId) },
  },
  acceptInviteAction: {
    action: action(memberActions.acceptInviteAction),
    fields: { token: text("A".repeat(43), "short") },
  },
  acceptInviteSignUpAction: {
    action: action(memberActions.acceptInviteSignUpAction),
    fields: {
      token: text("B".repeat(43)),
      name: text("Ann"),
      email: text("ann@example.test"),
      password: text("correct horse battery staple", "short"),
    },
    runs: 0.5,
  },
  runConsoleAction: {
    action: action(proxyActions.runConsoleAction),
    tenant: true,
    proxy: true,
    fields: {
      integration_id: idLike(() => w.integrationId),
      operation: text("send_sms", "make_call", "list_messages", "nope"),
      to: text("+14155550123", "+447700900123"),
      from: text(FROM, "+14155550100", ""),
      body: text("hello", "line\r\nbreak"),
      page_size: text("10", "1e3"),
    },
    runs: 1.5,
  },
  updateMfaPolicyAction: {
    action: action(settingsActions.updateMfaPolicyAction),
    tenant: true,
    fields: { requireMfa: text("on", "off", "") },
  },
  updateRetentionAction: {
    action: action(settingsActions.updateRetentionAction),
    tenant: true,
    fields: { auditRetentionDays: text("400", "1e3", "29", "") },
  },
  rotateTenantKeyAction: {
    action: action(settingsActions.rotateTenantKeyAction),
    tenant: true,
    fields: { kind: text("signing", "vault", "both") },
    runs: 0.5,
  },
  updateKmsAction: {
    action: action(settingsActions.updateKmsAction),
    tenant: true,
    // aws-kms with a real-looking ARN would call AWS: the ARNs here are never valid.
    fields: { provider: text("local", "aws-kms"), keyArn: text("", "arn:nope") },
    runs: 0.5,
  },
  rewrapAction: {
    action: action(settingsActions.rewrapAction),
    tenant: true,
    fields: {},
    runs: 0.25,
  },
  updateCheckpointForwardingAction: {
    action: action(settingsActions.updateCheckpointForwardingAction),
    tenant: true,
    fields: { checkpointForwardUrl: text("", "https://93.184.216.34/cp", "http://10.0.0.1/") },
  },
  createStreamAction: {
    action: action(auditStreamActions.createStreamAction),
    tenant: true,
    fields: {
      kind: text("webhook", "splunk", "s3", "syslog"),
      name: text("SIEM", ""),
      startFrom: text("now", "beginning", "yesterday"),
      url: text("", "https://93.184.216.34/hec", "http://10.0.0.1/", "ftp://x"),
      token: text("", "11111111-2222-3333-4444-555555555555"),
      index: text("", "main"),
      endpoint: text("", "https://93.184.216.34", "http://127.0.0.1:9000"),
      region: text("us-east-1", ""),
      bucket: text("audit-archive", "A", ""),
      prefix: text("", "pqseal", "../x"),
      accessKeyId: text("AKIAEXAMPLE", ""),
      secretAccessKey: text("wJalrXUtnFEMI", ""),
      forcePathStyle: text("on", "", "yes"),
    },
  },
  setStreamEnabledAction: {
    action: action(auditStreamActions.setStreamEnabledAction),
    tenant: true,
    fields: { streamId: unknownId("auditStream"), enabled: text("true", "false", "maybe") },
  },
  rotateStreamSecretAction: {
    action: action(auditStreamActions.rotateStreamSecretAction),
    tenant: true,
    fields: { streamId: unknownId("auditStream"), secret: text("", "new-token") },
  },
  deleteStreamAction: {
    action: action(auditStreamActions.deleteStreamAction),
    tenant: true,
    fields: { streamId: unknownId("auditStream") },
  },
  addMappingAction: {
    action: action(ssoActions.addMappingAction),
    tenant: true,
    fields: {
      domain: text("example.com", "*.example.com", "@example.com", "10.0.0.1"),
      role: text("operator", "owner", "root"),
      requireSso: text("on", ""),
    },
  },
  changeMappingAction: {
    action: action(ssoActions.changeMappingAction),
    tenant: true,
    fields: {
      mappingId: unknownId("ssoMapping"),
      role: text("auditor", "root"),
      requireSso: text("on", ""),
    },
  },
  removeMappingAction: {
    action: action(ssoActions.removeMappingAction),
    tenant: true,
    fields: { mappingId: unknownId("ssoMapping") },
  },
  signInWithSsoAction: {
    action: action(ssoActions.signInWithSsoAction),
    fields: { callbackUrl: text("/t", "//evil.example", "https://evil.example/") },
    runs: 0.25,
  },
  setupAction: {
    action: action(tenantActions.setupAction),
    fields: {
      tenantName: text("Acme"),
      name: text("Ann"),
      email: text("ann@example.test"),
      password: text("correct horse battery staple"),
    },
    runs: 0.5,
  },
  createTenantAction: {
    action: action(tenantActions.createTenantAction),
    fields: { tenantName: text("Acme", "A") },
  },
  verifyCredentialAction: {
    action: action(vaultActions.verifyCredentialAction),
    tenant: true,
    checksCredential: true,
    fields: { credentialId: idLike(() => w.credentialId) },
  },
  sealCredentialAction: {
    action: action(vaultActions.sealCredentialAction),
    tenant: true,
    checksCredential: true,
    fields: {
      credential_type: text("basic_auth", "webhook_secret", "oauth"),
      name: text("twilio"),
      grace_seconds: text("", "60", "1e3", "-1"),
      username: text(ACCOUNT),
      password: text(TOKEN),
      secret: text("whsec-value-123456"),
    },
  },
  rotateCredentialAction: {
    action: action(vaultActions.rotateCredentialAction),
    tenant: true,
    checksCredential: true,
    fields: {
      credentialId: idLike(() => w.credentialId),
      grace_seconds: text("", "60", "1e3"),
      username: text(ACCOUNT),
      password: text(TOKEN),
    },
  },
  deleteCredentialAction: {
    action: action(vaultActions.deleteCredentialAction),
    tenant: true,
    fields: { credentialId: idLike(() => w.credentialId) },
  },
  replayAction: {
    action: action(webhookActions.replayAction),
    tenant: true,
    fields: {
      integrationId: idLike(() => w.integrationId),
      deliveryId: unknownId("delivery"),
    },
  },
  setIntakeAuthAction: {
    action: action(webhookActions.setIntakeAuthAction),
    tenant: true,
    fields: { integrationId: idLike(() => w.integrationId) },
  },
  removeIntakeAuthAction: {
    action: action(webhookActions.removeIntakeAuthAction),
    tenant: true,
    fields: { integrationId: idLike(() => w.integrationId) },
  },
  configureForwardingAction: {
    action: action(webhookActions.configureForwardingAction),
    tenant: true,
    fields: {
      integrationId: idLike(() => w.integrationId),
      clientKeyId: unknownId("clientKey"),
      graceHours: text("", "0", "24", "1e3"),
    },
  },
  enableForwardingAction: {
    action: action(webhookActions.enableForwardingAction),
    tenant: true,
    fields: { integrationId: idLike(() => w.integrationId) },
  },
  // The world's member's password is never the current one given here: it stays as it is.
  changePasswordAction: {
    action: action(accountActions.changePasswordAction),
    fields: {
      currentPassword: text("not my password", ""),
      newPassword: text("plum violin orbit kestrel", "aaaaaaaaaaaa", "short"),
    },
    runs: 0.5,
  },
  revokeSessionAction: {
    action: action(accountActions.revokeSessionAction),
    fields: { sessionId: unknownId("session") },
  },
  revokeOtherSessionsAction: {
    action: action(accountActions.revokeOtherSessionsAction),
    fields: {},
    runs: 0.25,
  },
  forgotPasswordAction: {
    action: action(accountActions.forgotPasswordAction),
    fields: { email: text("nobody@example.test", "not-an-email") },
    runs: 0.5,
  },
  resetPasswordAction: {
    action: action(accountActions.resetPasswordAction),
    fields: {
      token: text("C".repeat(43), "short"),
      password: text("plum violin orbit kestrel", "aaaaaaaaaaaa"),
      confirmPassword: text("plum violin orbit kestrel", ""),
    },
    runs: 0.5,
  },
};

const formValue = fc.oneof(
  { weight: 6, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.constant(new Blob(["file"], { type: "text/plain" })) },
  { weight: 1, arbitrary: fc.array(nastyString, { minLength: 2, maxLength: 3 }) },
);
type FormValue = string | Blob | string[];

function formInput(c: ActionCase): fc.Arbitrary<unknown> {
  const good = c.fields as Record<string, fc.Arbitrary<FormValue>>;
  const fields = fc.oneof(
    { weight: 1, arbitrary: fc.record(good) },
    { weight: 5, arbitrary: spoiled(good, formValue) },
  );
  const tenant = c.tenant
    ? fc.oneof(
        { weight: 8, arbitrary: fc.constant("real").map(() => w.tenantId) },
        { weight: 2, arbitrary: idLike(() => w.tenantId) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      )
    : fc.constant(undefined);
  const form = fc
    .tuple(fields, fc.dictionary(nastyString, formValue, { maxKeys: 1 }), tenant)
    .map(([known, stray, tenantId]) => {
      const data = new FormData();
      const all: Record<string, unknown> = { ...stray, ...known };
      if (tenantId !== undefined) all.tenantId = tenantId;
      for (const [key, value] of Object.entries(all)) {
        for (const item of [value].flat()) {
          if (typeof item === "string" || item instanceof Blob) data.append(key, item);
          else data.append(key, String(item));
        }
      }
      // How fast-check prints a counterexample: the fields, not "[object FormData]".
      const shown = [...data.entries()].map(([k, v]) => [k, typeof v === "string" ? v : "<file>"]);
      Object.defineProperty(data, fc.toStringMethod, {
        value: () => `FormData ${JSON.stringify(shown)}`,
      });
      return data;
    });
  // Anything React can serialise may arrive where the FormData should be.
  const notAForm = fc.oneof(
    fc.constantFrom<unknown>(null, undefined, "tenantId", 42, [], new Map()),
    nastyValue,
    fc.constant("real").map(() => ({ tenantId: w.tenantId })),
  );
  return fc.oneof({ weight: 5, arbitrary: form }, { weight: 1, arbitrary: notAForm });
}

const isRedirect = (error: unknown) =>
  typeof (error as { digest?: unknown } | null)?.digest === "string" &&
  (error as { digest: string }).digest.startsWith("NEXT_REDIRECT");

describe("fuzz: every server action (#14)", () => {
  it("covers every action the feature modules export", () => {
    const exported = [
      accountActions,
      apiKeyActions,
      auditActions,
      auditStreamActions,
      authActions,
      integrationActions,
      memberActions,
      mfaActions,
      mfaSignInActions,
      stepUpActions,
      proxyActions,
      settingsActions,
      ssoActions,
      tenantActions,
      vaultActions,
      webhookActions,
    ].flatMap((m) =>
      Object.entries(m)
        .filter(([, v]) => typeof v === "function")
        .map(([k]) => k),
    );
    expect(exported.filter((name) => !(name in ACTIONS)).sort()).toEqual([]);
  });

  it.each(Object.entries(ACTIONS))(
    "%s: answers with an error state (never throws, never fails inside), nothing written when refused",
    async (name, c) => {
      session.user = w.user;
      await fc.assert(
        fc.asyncProperty(formInput(c), async (arg) => {
          const before = await snapshot(w.tenantId);
          let state: unknown;
          try {
            state = await c.action({}, arg);
          } catch (error) {
            // A redirect is how a successful create/delete/sign-in answers.
            if (isRedirect(error)) return count(`${name} redirected`);
            throw new Error(`${name} threw ${String(error)}`, { cause: error });
          }
          const s = (state ?? {}) as { ok?: unknown; message?: unknown; errors?: unknown };
          expect(s.message, name).not.toBe(INTERNAL);
          const refused = !("ok" in s) && typeof s.message === "string";
          count(`${name} ${refused ? `refused: ${String(s.message).slice(0, 40)}` : "ran"}`);
          if (refused) {
            const after = await snapshot(w.tenantId);
            const mayWrite = c.proxy
              ? BOOKKEEPING
              : c.audits
                ? AUDITED
                : c.checksCredential
                  ? CHECK_BUDGET
                  : [];
            expect(without(after, mayWrite), `${name}: ${String(s.message)}`).toEqual(
              without(before, mayWrite),
            );
          }
        }),
        runs(c.runs),
      );
    },
  );
});
