import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  DELETE as deleteIntegrationRoute,
  GET as getIntegrationRoute,
  PATCH as patchIntegrationRoute,
} from "@/app/api/v2/integrations/[integrationId]/route";
import { POST as createIntegrationRoute } from "@/app/api/v2/integrations/route";
import { GET as v2AuditEventsRoute } from "@/app/api/v2/audit/events/route";
import { GET as v2AuditExportRoute } from "@/app/api/v2/audit/export/route";
import { POST as outboundRoute } from "@/app/api/v2/proxy/outbound/route";
import { DELETE as deleteCredentialRoute } from "@/app/api/v2/vault/credentials/[credentialId]/route";
import { POST as rotateRoute } from "@/app/api/v2/vault/credentials/[credentialId]/rotate/route";
import { POST as sealRoute } from "@/app/api/v2/vault/seal/route";
import { GET as consoleAuditEventsRoute } from "@/app/api/tenants/[tenantId]/audit/events/route";
import { GET as consoleAuditExportRoute } from "@/app/api/tenants/[tenantId]/audit/export/route";
import { GET as membersRoute } from "@/app/api/tenants/[tenantId]/members/route";
import {
  DELETE as removeMemberRoute,
  PATCH as changeRoleRoute,
} from "@/app/api/tenants/[tenantId]/members/[membershipId]/route";
import { getDb } from "@/db";
import { auditEvents, tenants } from "@/db/schema";
import { createApiKeyAction } from "@/lib/features/api-keys/actions";
import { signInAction } from "@/lib/features/auth/actions";
import { updateIntegrationAction } from "@/lib/features/integrations/actions";
import { createIntegration } from "@/lib/features/integrations/service";
import { acceptInviteAction, removeMemberAction } from "@/lib/features/members/actions";
import { runConsoleAction } from "@/lib/features/proxy/actions";
import { updateRetentionAction } from "@/lib/features/settings/actions";
import { createTenantAction, setupAction } from "@/lib/features/tenants/actions";
import { deleteCredentialAction, sealCredentialAction } from "@/lib/features/vault/actions";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { apiRequest, hostileWorld, routeParams, snapshot } from "@/test/bad-input";
import { ACCOUNT, FROM, KEY_SECRET, KEY_SID, TOKEN } from "@/test/proxy-setup";

// Regressions for the "zero 5xx from bad input" and "lenient input" findings of #14: each
// input here was answered with a 500 (or accepted) by a production build.

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
// Auth.js does not load outside Next.js; sign-in itself is not what these tests are about.
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

type World = Awaited<ReturnType<typeof hostileWorld>>;
let w: World;
let double: TwilioDouble;

beforeAll(async () => {
  double = await startTwilioDouble({
    port: Number(process.env.TWILIO_DOUBLE_PORT),
    accounts: [{ sid: ACCOUNT, authToken: TOKEN, apiKeys: [{ sid: KEY_SID, secret: KEY_SECRET }] }],
  });
});
afterAll(() => double.close());
beforeEach(async () => {
  w = await hostileWorld((user) => (session.user = user));
});

const NUL = "\u0000";

async function errorOf(res: Response) {
  const text = await res.text();
  let code: unknown;
  let fields: Record<string, string[]> | undefined;
  try {
    const body = JSON.parse(text) as { code?: unknown; fields?: Record<string, string[]> };
    code = body.code;
    fields = body.fields;
  } catch {
    code = `(not JSON: ${text.slice(0, 60)})`;
  }
  return { status: res.status, code, fields: Object.keys(fields ?? {}) };
}

const json = (value: unknown) => JSON.stringify(value);
const v2 = (path: string, method = "GET", body?: string) =>
  apiRequest(path, { apiKey: w.apiKey, method, ...(body === undefined ? {} : { body }) });
const form = (fields: Record<string, string | Blob>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("zero 5xx from bad input (#14)", () => {
  it("answers 404 for path ids that cannot be ids, before any query, writing nothing", async () => {
    const before = await snapshot(w.tenantId);
    const credential = routeParams({ credentialId: NUL });
    const integration = routeParams({ integrationId: NUL });
    const results = {
      deleteCredential: await errorOf(
        await deleteCredentialRoute(v2("/api/v2/vault/credentials/%00", "DELETE"), credential),
      ),
      rotate: await errorOf(
        await rotateRoute(
          v2(
            "/api/v2/vault/credentials/%00/rotate",
            "POST",
            json({ values: { username: ACCOUNT, password: TOKEN } }),
          ),
          credential,
        ),
      ),
      getIntegration: await errorOf(
        await getIntegrationRoute(v2("/api/v2/integrations/%00"), integration),
      ),
      patchIntegration: await errorOf(
        await patchIntegrationRoute(
          v2("/api/v2/integrations/%00", "PATCH", json({ name: "renamed" })),
          integration,
        ),
      ),
      deleteIntegration: await errorOf(
        await deleteIntegrationRoute(v2("/api/v2/integrations/%00", "DELETE"), integration),
      ),
      longIntegration: await errorOf(
        await getIntegrationRoute(
          v2(`/api/v2/integrations/${"int_".repeat(5000)}`),
          routeParams({ integrationId: "int_".repeat(5000) }),
        ),
      ),
      members: await errorOf(
        await membersRoute(
          apiRequest(`/api/tenants/%00/members`),
          routeParams({ tenantId: `ten_${NUL}` }),
        ),
      ),
      changeRole: await errorOf(
        await changeRoleRoute(
          apiRequest(`/api/tenants/${w.tenantId}/members/%00`, {
            method: "PATCH",
            body: json({ role: "auditor" }),
          }),
          routeParams({ tenantId: w.tenantId, membershipId: NUL }),
        ),
      ),
      removeMember: await errorOf(
        await removeMemberRoute(
          apiRequest(`/api/tenants/${w.tenantId}/members/%00`, { method: "DELETE" }),
          routeParams({ tenantId: w.tenantId, membershipId: NUL }),
        ),
      ),
    };
    const notFound = { status: 404, code: "not_found", fields: [] };
    expect(results).toEqual({
      deleteCredential: notFound,
      rotate: notFound,
      getIntegration: notFound,
      patchIntegration: notFound,
      deleteIntegration: notFound,
      longIntegration: notFound,
      members: notFound,
      changeRole: notFound,
      removeMember: notFound,
    });
    expect(await snapshot(w.tenantId)).toEqual(before);
  });

  it("refuses NUL in names with a field error (API bodies and forms), writing nothing", async () => {
    const before = await snapshot(w.tenantId);
    const name = `evil${NUL}name`;
    const seal = await sealRoute(
      v2(
        "/api/v2/vault/seal",
        "POST",
        json({ credential_type: "webhook_secret", name, values: { secret: "abcdef123456" } }),
      ),
    );
    const create = await createIntegrationRoute(
      v2(
        "/api/v2/integrations",
        "POST",
        json({ name, system_type: "twilio", credential_id: w.credentialId }),
      ),
    );
    const patch = await patchIntegrationRoute(
      v2(`/api/v2/integrations/${w.integrationId}`, "PATCH", json({ name })),
      routeParams({ integrationId: w.integrationId }),
    );
    const invalid = { status: 400, code: "invalid_input", fields: ["name"] };
    expect({
      seal: await errorOf(seal),
      create: await errorOf(create),
      patch: await errorOf(patch),
    }).toEqual({ seal: invalid, create: invalid, patch: invalid });

    const tenant = await createTenantAction({}, form({ tenantName: `Acme${NUL}` })).catch(
      (e: unknown) => ({ threw: String(e).slice(0, 80) }),
    );
    expect(tenant).toMatchObject({ errors: { tenantName: [expect.any(String)] } });
    const key = await createApiKeyAction(
      {},
      form({ tenantId: w.tenantId, name, scopes: "proxy" }),
    ).catch((e: unknown) => ({ threw: String(e).slice(0, 80) }));
    expect(key).toMatchObject({ errors: { name: [expect.any(String)] } });
    // In a field's name too, as in an API body's: refused, not ignored by the schema.
    const badName = await createApiKeyAction(
      {},
      form({ tenantId: w.tenantId, name: "fine", scopes: "proxy", [`x${NUL}`]: "1" }),
    ).catch((e: unknown) => ({ threw: String(e).slice(0, 80) }));
    expect(badName).toMatchObject({ errors: { _: [expect.stringMatching(/^A field name: /)] } });
    expect(await snapshot(w.tenantId)).toEqual(before);
  });

  it("refuses NUL in audit filters with a 400, exports included (before the stream starts)", async () => {
    const tenant = routeParams({ tenantId: w.tenantId });
    const results = {
      v2Events: await errorOf(await v2AuditEventsRoute(v2("/api/v2/audit/events?actor=%00"))),
      v2Export: await errorOf(await v2AuditExportRoute(v2("/api/v2/audit/export?actor=%00"))),
      v2Target: await errorOf(await v2AuditEventsRoute(v2("/api/v2/audit/events?target=a%00b"))),
      consoleEvents: await errorOf(
        await consoleAuditEventsRoute(
          apiRequest(`/api/tenants/${w.tenantId}/audit/events?actor=%00`),
          tenant,
        ),
      ),
      consoleExport: await errorOf(
        await consoleAuditExportRoute(
          apiRequest(`/api/tenants/${w.tenantId}/audit/export?integration=%00`),
          tenant,
        ),
      ),
    };
    const refused = (field: string) => ({ status: 400, code: "invalid_input", fields: [field] });
    expect(results).toEqual({
      v2Events: refused("actor"),
      v2Export: refused("actor"),
      v2Target: refused("target"),
      consoleEvents: refused("actor"),
      consoleExport: refused("integration"),
    });
  });

  it.each([
    ["-100000-01-01T00:00:00Z"],
    ["+275760-09-13T00:00:00Z"],
    ["99999"],
    ["1969-12-31T23:59:59Z"],
    ["10000-01-01T00:00:00Z"],
  ])("refuses the date %s in audit filters with a field error, exports included", async (date) => {
    const q = encodeURIComponent(date);
    const results = {
      eventsFrom: await errorOf(await v2AuditEventsRoute(v2(`/api/v2/audit/events?from=${q}`))),
      eventsTo: await errorOf(await v2AuditEventsRoute(v2(`/api/v2/audit/events?to=${q}`))),
      exportJsonl: await errorOf(await v2AuditExportRoute(v2(`/api/v2/audit/export?from=${q}`))),
      exportCsv: await errorOf(
        await consoleAuditExportRoute(
          apiRequest(`/api/tenants/${w.tenantId}/audit/export?format=csv&to=${q}`),
          routeParams({ tenantId: w.tenantId }),
        ),
      ),
    };
    const refused = (field: string) => ({ status: 400, code: "invalid_input", fields: [field] });
    expect(results).toEqual({
      eventsFrom: refused("from"),
      eventsTo: refused("to"),
      exportJsonl: refused("from"),
      exportCsv: refused("to"),
    });
  });

  it("answers server actions called with something other than their form with an error state", async () => {
    const before = await snapshot(w.tenantId);
    const actions = {
      sealCredentialAction,
      deleteCredentialAction,
      removeMemberAction,
      updateRetentionAction,
      runConsoleAction,
      createTenantAction,
      acceptInviteAction,
      setupAction,
      signInAction,
    } as Record<string, (prev: object, form: unknown) => Promise<unknown>>;
    const args: unknown[] = ["x", null, undefined, 42, {}, [], { tenantId: w.tenantId }];
    const outcomes: Record<string, string[]> = {};
    for (const [name, action] of Object.entries(actions)) {
      for (const arg of args) {
        let outcome: string;
        try {
          const state = (await action({}, arg)) as { message?: unknown } | undefined;
          outcome = typeof state?.message === "string" ? "error state" : json(state);
        } catch (error) {
          outcome = `threw ${String(error).slice(0, 60)}`;
        }
        (outcomes[name] ??= []).push(outcome);
      }
    }
    expect(outcomes).toEqual(
      Object.fromEntries(Object.keys(actions).map((n) => [n, args.map(() => "error state")])),
    );
    expect(await snapshot(w.tenantId)).toEqual(before);
  });

  it("answers form fields of the wrong type (files) with field errors, not a failure", async () => {
    const file = new Blob(["x"], { type: "text/plain" });
    const seal = await sealCredentialAction(
      {},
      form({ tenantId: w.tenantId, credential_type: "webhook_secret", name: file, secret: "s" }),
    );
    expect(seal).toMatchObject({ errors: { name: [expect.any(String)] } });
    const tenantAsFile = await deleteCredentialAction(
      {},
      form({ tenantId: file, credentialId: w.credentialId }),
    );
    expect(tenantAsFile.message).toEqual(expect.any(String));
    expect(tenantAsFile.ok).toBeUndefined();
  });

  it("answers the members route's bad body with invalid_input and its field (not a bare ZodError)", async () => {
    const res = await changeRoleRoute(
      apiRequest(`/api/tenants/${w.tenantId}/members/${w.membershipId}`, {
        method: "PATCH",
        body: json({ role: "king" }),
      }),
      routeParams({ tenantId: w.tenantId, membershipId: w.membershipId }),
    );
    expect(await errorOf(res)).toEqual({ status: 400, code: "invalid_input", fields: ["role"] });
  });
});

describe("lenient input (#14)", () => {
  it.each([[true], [[1]], ["1"], ["1e3"], [1.5], [" 60"], [null]])(
    "refuses grace_seconds %j (only a JSON integer is a number of seconds)",
    async (grace) => {
      const before = await snapshot(w.tenantId);
      const seal = await sealRoute(
        v2(
          "/api/v2/vault/seal",
          "POST",
          json({
            credential_type: "webhook_secret",
            name: "hook",
            values: { secret: "abcdef123456" },
            grace_seconds: grace,
          }),
        ),
      );
      const rotate = await rotateRoute(
        v2(
          `/api/v2/vault/credentials/${w.credentialId}/rotate`,
          "POST",
          json({ values: { username: ACCOUNT, password: TOKEN }, grace_seconds: grace }),
        ),
        routeParams({ credentialId: w.credentialId }),
      );
      const refused = { status: 400, code: "invalid_input", fields: ["grace_seconds"] };
      expect({ seal: await errorOf(seal), rotate: await errorOf(rotate) }).toEqual({
        seal: refused,
        rotate: refused,
      });
      expect(await snapshot(w.tenantId)).toEqual(before);
    },
  );

  it("still accepts an integer grace_seconds", async () => {
    const seal = await sealRoute(
      v2(
        "/api/v2/vault/seal",
        "POST",
        json({
          credential_type: "webhook_secret",
          name: "hook",
          values: { secret: "abcdef123456" },
          grace_seconds: 60,
        }),
      ),
    );
    expect(seal.status).toBe(201);
  });

  it.each([["1e3"], ["0x5A"], ["90.0"], [" 90"], ["+90"], ["٩٠"]])(
    "refuses the form number %j (plain decimal digits only)",
    async (value) => {
      const before = await snapshot(w.tenantId);
      const retention = await updateRetentionAction(
        {},
        form({ tenantId: w.tenantId, auditRetentionDays: value }),
      );
      const key = await createApiKeyAction(
        {},
        form({ tenantId: w.tenantId, name: "k", scopes: "proxy", expiresInDays: value }),
      );
      const integration = await updateIntegrationAction(
        {},
        form({
          tenantId: w.tenantId,
          integrationId: w.integrationId,
          name: "main",
          credential_id: w.credentialId,
          key_burst: value,
        }),
      );
      expect({
        retention: Object.keys(retention.errors ?? {}),
        key: Object.keys(key.errors ?? {}),
        integration: Object.keys(integration.errors ?? {}),
      }).toEqual({
        retention: ["auditRetentionDays"],
        key: ["expiresInDays"],
        integration: ["key_burst"],
      });
      expect(await snapshot(w.tenantId)).toEqual(before);
      const [row] = await getDb().select().from(tenants).where(eq(tenants.id, w.tenantId));
      expect(row?.auditRetentionDays).toBe(400);
    },
  );

  it("still accepts plain digits in a form number", async () => {
    const ok = await updateRetentionAction(
      {},
      form({ tenantId: w.tenantId, auditRetentionDays: "90" }),
    );
    expect(ok.ok).toBe(true);
    const [row] = await getDb().select().from(tenants).where(eq(tenants.id, w.tenantId));
    expect(row?.auditRetentionDays).toBe(90);
  });

  it("refuses numbers in query strings that are not plain digits", async () => {
    expect(await errorOf(await v2AuditEventsRoute(v2("/api/v2/audit/events?limit=1e2")))).toEqual({
      status: 400,
      code: "invalid_input",
      fields: ["limit"],
    });
    expect(
      await errorOf(
        await v2AuditEventsRoute(v2("/api/v2/audit/events?cursor=99999999999999999999")),
      ),
    ).toEqual({ status: 400, code: "invalid_input", fields: ["cursor"] });
  });

  it.each([
    ["right-to-left override", "invoice\u202Efdp.exe"],
    ["left-to-right embedding", "a\u202Ab"],
    ["first-strong isolate", "a\u2068b"],
    ["pop directional isolate", "a\u2069b"],
    ["right-to-left mark", "a\u200Fb"],
    ["left-to-right mark", "a\u200Eb"],
    ["C1 control (NEL)", "a\u0085b"],
    ["escape", "a\u001B[31mb"],
    ["tab", "a\tb"],
    ["line feed", "a\nb"],
    ["DEL", "a\u007Fb"],
    ["lone surrogate", "a\uD800b"],
  ])("refuses a %s in names, everywhere a name is accepted", async (_what, name) => {
    const before = await snapshot(w.tenantId);
    const seal = await sealRoute(
      v2(
        "/api/v2/vault/seal",
        "POST",
        json({ credential_type: "webhook_secret", name, values: { secret: "abcdef123456" } }),
      ),
    );
    const create = await createIntegrationRoute(
      v2(
        "/api/v2/integrations",
        "POST",
        json({ name, system_type: "twilio", credential_id: w.credentialId }),
      ),
    );
    const invalid = { status: 400, code: "invalid_input", fields: ["name"] };
    expect({ seal: await errorOf(seal), create: await errorOf(create) }).toEqual({
      seal: invalid,
      create: invalid,
    });
    // FormData holds USVStrings: a lone surrogate arrives as U+FFFD, which is a character.
    if (!/[\uD800-\uDFFF]/.test(name)) {
      const key = await createApiKeyAction(
        {},
        form({ tenantId: w.tenantId, name, scopes: "proxy" }),
      );
      expect(Object.keys(key.errors ?? {})).toEqual(["name"]);
      const tenant = await createTenantAction({}, form({ tenantName: `Acme ${name}` }));
      expect(Object.keys(tenant.errors ?? {})).toEqual(["tenantName"]);
    }
    expect(await snapshot(w.tenantId)).toEqual(before);
  });

  it("accepts names in any script, with marks and emoji", async () => {
    for (const name of ["Zürich Büro", "東京 オフィス", "مكتب القاهرة", "שלום", "café ☕ 👩‍💻"]) {
      const seal = await sealRoute(
        v2(
          "/api/v2/vault/seal",
          "POST",
          json({ credential_type: "webhook_secret", name, values: { secret: "abcdef123456" } }),
        ),
      );
      expect(seal.status, name).toBe(201);
    }
  });

  it("caps JSON bodies at 64 KiB with 413 payload_too_large, streamed or declared", async () => {
    const before = await snapshot(w.tenantId);
    const huge = json({
      credential_type: "webhook_secret",
      name: "big",
      values: { secret: "x".repeat(10 * 1024 * 1024) },
    });
    const declared = await sealRoute(v2("/api/v2/vault/seal", "POST", huge));
    // No content-length: the body arrives as a stream and must be cut off while reading.
    let sent = 0;
    const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 10 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const streamed = await sealRoute(
      apiRequest("/api/v2/vault/seal", { apiKey: w.apiKey, method: "POST", body: stream }),
    );
    const tooLarge = { status: 413, code: "payload_too_large", fields: [] };
    expect({ declared: await errorOf(declared), streamed: await errorOf(streamed) }).toEqual({
      declared: tooLarge,
      streamed: tooLarge,
    });
    expect(sent).toBeLessThan(1024 * 1024);
    // Just under the cap, the body is read and judged on its content.
    const under = await createIntegrationRoute(
      v2("/api/v2/integrations", "POST", json({ name: "x".repeat(60 * 1024) })),
    );
    expect((await errorOf(under)).code).toBe("invalid_input");
    expect(await snapshot(w.tenantId)).toEqual(before);
  });
});

describe("send_sms and make_call senders (#14)", () => {
  const outbound = (integrationId: string, operation: string, payload: Record<string, unknown>) =>
    outboundRoute(
      v2(
        "/api/v2/proxy/outbound",
        "POST",
        json({ integration_id: integrationId, operation, payload }),
      ),
    );
  const denials = (tenantId: string) =>
    getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, "proxy.denied")));
  const TO = "+14155550123";

  it("refuses a from that is not the integration's sender with 403 sender_not_allowed, audited", async () => {
    const calls = double.requests.length;
    const results = {
      otherFrom: await errorOf(
        await outbound(w.integrationId, "send_sms", { to: TO, from: "+14155550100", body: "x" }),
      ),
      otherService: await errorOf(
        await outbound(w.integrationId, "send_sms", {
          to: TO,
          messaging_service_sid: `MG${"5b".repeat(16)}`,
          body: "x",
        }),
      ),
    };
    const refused = { status: 403, code: "sender_not_allowed", fields: [] };
    expect(results).toEqual({ otherFrom: refused, otherService: refused });
    expect(double.requests.length).toBe(calls);
    const events = await denials(w.tenantId);
    expect(events.map((e) => e.details)).toEqual([
      { operation: "send_sms", reason: "sender_not_allowed" },
      { operation: "send_sms", reason: "sender_not_allowed" },
    ]);
  });

  it("sends from the configured sender, named or by default", async () => {
    const named = await outbound(w.integrationId, "send_sms", { to: TO, from: FROM, body: "a" });
    const formatted = await outbound(w.integrationId, "send_sms", {
      to: TO,
      from: "+1 (500) 555-0006",
      body: "b",
    });
    const implied = await outbound(w.integrationId, "send_sms", { to: TO, body: "c" });
    expect([named.status, formatted.status, implied.status]).toEqual([200, 200, 200]);
    expect(double.messages.slice(-3).map((m) => m.from)).toEqual([FROM, FROM, FROM]);
  });

  it("accepts the integration's own Messaging Service and refuses any from on an integration without senders", async () => {
    const MG = `MG${"6a".repeat(16)}`;
    const service = await createIntegration(w.ctx, {
      name: "service",
      system_type: "twilio",
      credential_id: w.credentialId,
      allowed_operations: ["send_sms", "make_call"],
      allowed_countries: ["US"],
      messaging_service_sid: MG,
      sends_per_destination: 100,
      checks_per_destination: 5,
      destination_window_seconds: 600,
      key_burst: 100,
      key_rate_per_second: 100,
      enabled: true,
    });
    const ok = await outbound(service.id, "send_sms", {
      to: TO,
      messaging_service_sid: `MG${"6A".repeat(16)}`,
      body: "x",
    });
    expect(ok.status).toBe(200);
    const refused = { status: 403, code: "sender_not_allowed", fields: [] };
    expect({
      from: await errorOf(
        await outbound(service.id, "send_sms", { to: TO, from: FROM, body: "x" }),
      ),
      call: await errorOf(
        await outbound(service.id, "make_call", { to: TO, from: FROM, twiml: "<Response/>" }),
      ),
    }).toEqual({ from: refused, call: refused });
  });

  it("refuses a caller id that is not the integration's sender for make_call", async () => {
    const calling = await createIntegration(w.ctx, {
      name: "calls",
      system_type: "twilio",
      credential_id: w.credentialId,
      allowed_operations: ["make_call"],
      allowed_countries: ["US"],
      default_from: FROM,
      sends_per_destination: 100,
      checks_per_destination: 5,
      destination_window_seconds: 600,
      key_burst: 100,
      key_rate_per_second: 100,
      enabled: true,
    });
    const other = await outbound(calling.id, "make_call", {
      to: TO,
      from: "+14155550100",
      twiml: "<Response/>",
    });
    expect(await errorOf(other)).toEqual({ status: 403, code: "sender_not_allowed", fields: [] });
    const own = await outbound(calling.id, "make_call", {
      to: TO,
      from: FROM,
      twiml: "<Response/>",
    });
    expect(own.status).toBe(200);
  });
});
