import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DELETE as deleteCredentialRoute } from "@/app/api/v2/vault/credentials/[credentialId]/route";
import { PATCH as patchIntegrationRoute } from "@/app/api/v2/integrations/[integrationId]/route";
import { POST as createIntegrationRoute } from "@/app/api/v2/integrations/route";
import { POST as outboundRoute } from "@/app/api/v2/proxy/outbound/route";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { createApiKey } from "@/lib/features/api-keys/service";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { createIntegration } from "@/lib/features/integrations/service";
import type { OutboundResult } from "@/lib/shared/sdk/index";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { sealCredential } from "@/lib/features/vault/service";
import type * as VaultService from "@/lib/features/vault/service";
import { AppError } from "@/lib/platform/errors/app-error";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { ACCOUNT, FROM, KEY_SECRET, KEY_SID, proxySetup, TOKEN } from "@/test/proxy-setup";
import { resetBreakers } from "./breaker";
import { verifyChain } from "@/lib/features/audit/verify-chain";
import { appendAudit } from "@/lib/platform/audit/group-commit";
import { NO_REQUEST } from "@/lib/platform/http/request-meta";
import { SYSTEM_ACTOR } from "@/lib/platform/request-context/acting";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
// The KMS "fails" for the next unsealing (a test sets `failures`), as an outage would.
const unseal = vi.hoisted(() => ({ failures: 0 }));
vi.mock("@/lib/features/vault/service", async (importOriginal) => {
  const real = await importOriginal<typeof VaultService>();
  return {
    ...real,
    unsealCredential: (...args: Parameters<typeof real.unsealCredential>) => {
      if (unseal.failures === 0) return real.unsealCredential(...args);
      unseal.failures--;
      return Promise.reject(new AppError("kms_unavailable", "The KMS is unavailable."));
    },
  };
});

const TO = "+14155550123";

let double: TwilioDouble;
beforeAll(async () => {
  double = await startTwilioDouble({
    port: Number(process.env.TWILIO_DOUBLE_PORT),
    accounts: [{ sid: ACCOUNT, authToken: TOKEN, apiKeys: [{ sid: KEY_SID, secret: KEY_SECRET }] }],
  });
});
afterAll(() => double.close());
beforeEach(() => resetBreakers());

type Setup = Awaited<ReturnType<typeof setup>>;
const setup = (
  overrides: Parameters<typeof proxySetup>[1] = {},
  credential: Parameters<typeof proxySetup>[2] = "basic_auth",
) => proxySetup((user) => (session.user = user), overrides, credential);

const send = (s: Setup, operation: string, payload: Record<string, unknown>, key?: string) =>
  s.client.proxy.outbound(
    { integration_id: s.integration.id, operation, payload },
    {
      ...(key ? { idempotencyKey: key } : {}),
    },
  );

async function expectApiError(promise: Promise<unknown>, status: number, code: string) {
  await expect(promise).rejects.toMatchObject({ status, code });
}

const raw = (s: Setup, body: unknown, headers: Record<string, string> = {}) =>
  outboundRoute(
    new NextRequest("http://localhost/api/v2/proxy/outbound", {
      method: "POST",
      headers: { "x-api-key": s.key, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );

const eventsOf = (tenantId: string, action: string) =>
  getDb()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, action)));

describe("outbound proxy", () => {
  it("sends an SMS and answers with a verified envelope whose audit event has no full number", async () => {
    const s = await setup();
    const before = double.messages.length;
    const result = await send(s, "send_sms", { to: "+1 (415) 555-0123", body: "hello" });
    expect(result.success).toBe(true);
    const data = result.result.data as { sid: string; to: string; status: string };
    expect(data.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(data.to).toBe(TO);
    expect(double.messages.length).toBe(before + 1);
    expect(double.messages.at(-1)).toMatchObject({ to: TO, from: FROM, body: "hello" });
    const [event] = await eventsOf(s.tenantId, "proxy.send_sms");
    expect(event?.id).toBe(result.audit_event_id);
    expect(event?.outcome).toBe("succeeded");
    expect(event?.destinationLast2).toBe("23");
    expect(event?.details).toMatchObject({ twilio_sid: data.sid, credential_version: 1 });
    expect(JSON.stringify(event)).not.toContain("5550123");
  });

  it("uses API-key auth when the credential is an api_key", async () => {
    const s = await setup({}, "api_key");
    const result = await send(s, "send_sms", { to: TO, body: "via SK" });
    expect(result.success).toBe(true);
  });

  it("refuses a forbidden operation with 403, audited as denied", async () => {
    const s = await setup();
    const calls = double.requests.length;
    await expectApiError(
      send(s, "make_call", { to: TO, twiml: "<Response/>" }),
      403,
      "operation_not_allowed",
    );
    expect(double.requests.length).toBe(calls);
    const [event] = await eventsOf(s.tenantId, "proxy.denied");
    expect(event?.outcome).toBe("denied");
    expect(event?.details).toMatchObject({
      operation: "make_call",
      reason: "operation_not_allowed",
    });
  });

  it("refuses bad numbers (400 with the reason), bad payloads and other countries", async () => {
    const s = await setup();
    await expectApiError(
      send(s, "send_sms", { to: "12345", body: "x" }),
      400,
      "invalid_phone_number",
    );
    const res = await raw(s, {
      integration_id: s.integration.id,
      operation: "send_sms",
      payload: { to: "+1415", body: "x" },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/payload\.to.*too short|not a valid/);
    await expectApiError(send(s, "send_sms", { to: TO }), 400, "invalid_input");
    await expectApiError(
      send(s, "send_sms", { to: TO, body: "x", media_url: "http://insecure.example/a.png" }),
      400,
      "invalid_input",
    );
    await expectApiError(
      send(s, "send_sms", { to: TO, body: "x".repeat(1601) }),
      400,
      "invalid_input",
    );
    await expectApiError(
      send(s, "send_sms", { to: "+33612345678", body: "x" }),
      403,
      "destination_not_allowed",
    );
    await expectApiError(send(s, "teleport", { to: TO }), 400, "invalid_input");
  });

  it("maps Twilio errors by code into an enveloped failure", async () => {
    const s = await setup({ sends_per_destination: 100 });
    const cases: [string, number, string][] = [
      ["+15005550001", 400, "twilio_21211"],
      ["+15005550009", 400, "twilio_21614"],
      ["+15005550004", 403, "twilio_21610"],
      ["+15005550003", 403, "twilio_21408"],
      ["+15005550008", 403, "twilio_21608"],
    ];
    for (const [to, status, code] of cases) {
      const result = await send(s, "send_sms", { to, body: "x" });
      expect([result.success, result.status, result.result.error?.code], to).toEqual([
        false,
        status,
        code,
      ]);
      expect(result.result.error?.message).not.toContain(to);
    }
    const [failed] = await eventsOf(s.tenantId, "proxy.send_sms");
    expect(failed?.outcome).toBe("failed");
  });

  it("maps wrong sealed credentials to twilio_20003", async () => {
    const s = await setup();
    const t = await resolveTenant(s.tenantId, "vault:write");
    const bad = await sealCredential(t, {
      type: "basic_auth",
      name: "bad",
      values: { username: ACCOUNT, password: "wrongTokenValue" },
    });
    const integration = await createIntegration(t, {
      name: "bad",
      system_type: "twilio",
      credential_id: bad.id,
      allowed_operations: ["send_sms"],
      allowed_countries: ["US"],
      default_from: FROM,
      sends_per_destination: 3,
      checks_per_destination: 5,
      destination_window_seconds: 600,
      key_burst: 50,
      key_rate_per_second: 50,
      enabled: true,
    });
    const result = await s.client.proxy.outbound({
      integration_id: integration.id,
      operation: "send_sms",
      payload: { to: TO, body: "x" },
    });
    expect([result.success, result.status, result.result.error?.code]).toEqual([
      false,
      502,
      "twilio_20003",
    ]);
  });

  it("runs a Verify flow: create, wrong code, right code -> approved; fetch and cancel", async () => {
    const s = await setup({
      allowed_operations: [
        "create_verification",
        "check_verification",
        "fetch_verification",
        "cancel_verification",
      ],
    });
    const created = await send(s, "create_verification", { to: TO, channel: "sms" });
    const verification = created.result.data as { sid: string; status: string };
    expect(verification.status).toBe("pending");
    const code = double.codeFor(TO) ?? "";
    const wrong = await send(s, "check_verification", {
      to: TO,
      code: code === "000000" ? "111111" : "000000",
    });
    expect((wrong.result.data as { status: string }).status).toBe("pending");
    const fetched = await send(s, "fetch_verification", { verification_sid: verification.sid });
    expect((fetched.result.data as { status: string }).status).toBe("pending");
    const right = await send(s, "check_verification", { to: TO, code });
    expect(right.result.data).toMatchObject({ status: "approved", valid: true });
    // Twilio deletes an approved verification: fetching it answers 20404.
    const gone = await send(s, "fetch_verification", { verification_sid: verification.sid });
    expect(gone.result.error?.code).toBe("twilio_20404");

    const second = await send(s, "create_verification", { to: "+14155550124", channel: "sms" });
    const sid = (second.result.data as { sid: string }).sid;
    const canceled = await send(s, "cancel_verification", { verification_sid: sid });
    expect((canceled.result.data as { status: string }).status).toBe("canceled");
    // Codes never reach the audit log.
    const rows = JSON.stringify(
      await getDb().select().from(auditEvents).where(eq(auditEvents.tenantId, s.tenantId)),
    );
    expect(rows).not.toContain(code);
  });

  it("limits verification checks per destination, then a cooldown (429 with Retry-After)", async () => {
    const s = await setup({ allowed_operations: ["create_verification", "check_verification"] });
    await send(s, "create_verification", { to: TO, channel: "sms" });
    for (let i = 0; i < 4; i++) await send(s, "check_verification", { to: TO, code: "0000" });
    // Twilio answers a 5th wrong code, which ends the verification (a 6th would be 60202) ...
    const fifth = await send(s, "check_verification", { to: TO, code: "0000" });
    expect((fifth.result.data as { status: string }).status).toBe("max_attempts_reached");
    // ... and PQSEAL refuses the 6th itself, before Twilio.
    const res = await raw(s, {
      integration_id: s.integration.id,
      operation: "check_verification",
      payload: { to: TO, code: "0000" },
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(500);
    expect(((await res.json()) as { code: string }).code).toBe("rate_limited_verification_checks");
  });

  it("limits sends per destination (3 per 10 minutes) and requests per API key (token bucket)", async () => {
    const s = await setup();
    for (let i = 0; i < 3; i++)
      expect((await send(s, "send_sms", { to: TO, body: `${i}` })).success).toBe(true);
    await expectApiError(
      send(s, "send_sms", { to: TO, body: "4" }),
      429,
      "rate_limited_destination",
    );
    expect((await send(s, "send_sms", { to: "+14155550124", body: "other" })).success).toBe(true);

    const b = await setup({ key_burst: 2, key_rate_per_second: 1 });
    await send(b, "send_sms", { to: "+14155550131", body: "1" });
    await send(b, "send_sms", { to: "+14155550132", body: "2" });
    const res = await raw(b, {
      integration_id: b.integration.id,
      operation: "send_sms",
      payload: { to: "+14155550133", body: "3" },
    });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(((await res.json()) as { code: string }).code).toBe("rate_limited_api_key");
  });

  it("honours Idempotency-Key: same request -> stored result, no second Twilio call; other request -> 422", async () => {
    const s = await setup();
    const before = double.messages.length;
    const first = await send(s, "send_sms", { to: TO, body: "once" }, "order-42");
    const again: OutboundResult = await send(s, "send_sms", { to: TO, body: "once" }, "order-42");
    expect(double.messages.length).toBe(before + 1);
    expect(again.result).toEqual(first.result);
    expect(again.audit_event_id).toBe(first.audit_event_id);
    expect(again.request_id).not.toBe(first.request_id);
    await expectApiError(
      send(s, "send_sms", { to: TO, body: "different" }, "order-42"),
      422,
      "idempotency_key_reused",
    );
    // A refusal before Twilio (here: a bad number) does not burn the key.
    await expectApiError(
      send(s, "send_sms", { to: "1", body: "x" }, "order-43"),
      400,
      "invalid_phone_number",
    );
    expect((await send(s, "send_sms", { to: "+14155550125", body: "x" }, "order-43")).success).toBe(
      true,
    );
  });

  it("lists messages with paging", async () => {
    const s = await setup({
      allowed_operations: ["send_sms", "list_messages"],
      sends_per_destination: 10,
    });
    const to = "+14155550177";
    for (let i = 0; i < 3; i++) await send(s, "send_sms", { to, body: `m${i}` });
    const page1 = await send(s, "list_messages", { to, page_size: 2 });
    const d1 = page1.result.data as {
      messages: { body: string }[];
      next_page_token: string | null;
    };
    expect(d1.messages.map((m) => m.body)).toEqual(["m2", "m1"]);
    expect(d1.next_page_token).toBeTruthy();
    const page2 = await send(s, "list_messages", {
      to,
      page_size: 2,
      page_token: d1.next_page_token,
    });
    const d2 = page2.result.data as {
      messages: { body: string }[];
      next_page_token: string | null;
    };
    expect(d2.messages.map((m) => m.body)).toEqual(["m0"]);
    expect(d2.next_page_token).toBeNull();
    await expectApiError(send(s, "list_messages", { page_size: 1001 }), 400, "invalid_input");
  });

  it("times out after TWILIO_TIMEOUT_MS, then opens the circuit after repeated upstream failures", async () => {
    const s = await setup({ sends_per_destination: 100 });
    const slow = await send(s, "send_sms", { to: "+15005550100", body: "x" });
    expect([slow.status, slow.result.error?.code]).toEqual([504, "twilio_timeout"]);
    for (let i = 0; i < 4; i++) {
      const r = await send(s, "send_sms", { to: "+15005550500", body: "x" });
      expect(r.result.error?.code).toBe("twilio_unavailable");
    }
    const calls = double.requests.length;
    await expectApiError(send(s, "send_sms", { to: TO, body: "x" }), 503, "upstream_unavailable");
    expect(double.requests.length).toBe(calls);
  });

  it("does not stay open when the half-open trial fails before Twilio (unsealing throws)", async () => {
    const s = await setup({ sends_per_destination: 100 });
    for (let i = 0; i < 5; i++) {
      const r = await send(s, "send_sms", { to: "+15005550500", body: "x" });
      expect(r.result.error?.code).toBe("twilio_unavailable");
    }
    const res = await raw(s, {
      integration_id: s.integration.id,
      operation: "send_sms",
      payload: { to: TO, body: "x" },
    });
    expect([res.status, res.headers.get("retry-after")]).toEqual([503, "30"]);
    // 30 s later the next request is the trial; the KMS fails it before Twilio is called.
    const realNow = Date.now.bind(Date);
    const clock = vi.spyOn(Date, "now").mockImplementation(() => realNow() + 31_000);
    try {
      unseal.failures = 1;
      const calls = double.requests.length;
      await expectApiError(send(s, "send_sms", { to: TO, body: "x" }), 503, "kms_unavailable");
      expect(double.requests.length).toBe(calls);
      // The trial has ended: later requests reach Twilio again.
      expect((await send(s, "send_sms", { to: TO, body: "after" })).success).toBe(true);
      expect((await send(s, "send_sms", { to: TO, body: "again" })).success).toBe(true);
    } finally {
      clock.mockRestore();
      unseal.failures = 0;
    }
  });

  it("keeps tenants apart and needs a client key", async () => {
    const a = await setup();
    const b = await setup();
    await expectApiError(
      b.client.proxy.outbound({
        integration_id: a.integration.id,
        operation: "send_sms",
        payload: { to: TO, body: "x" },
      }),
      404,
      "not_found",
    );
    const noClientKey = await createApiKey(a.ctx, {
      name: "old",
      environment: "test",
      scopes: ["proxy"],
    });
    const res = await outboundRoute(
      new NextRequest("http://localhost/api/v2/proxy/outbound", {
        method: "POST",
        headers: { "x-api-key": noClientKey.key, "content-type": "application/json" },
        body: JSON.stringify({
          integration_id: a.integration.id,
          operation: "send_sms",
          payload: {},
        }),
      }),
    );
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe("client_key_required");
  });
});

describe("every Twilio call is audited, or not made (#13)", () => {
  it("refuses a request id that reads as a phone number before calling Twilio", async () => {
    const s = await setup();
    const calls = double.requests.length;
    const body = {
      integration_id: s.integration.id,
      operation: "send_sms",
      payload: { to: TO, body: "pumped" },
    };
    const headers = { "x-client-request-id": "4155550188", "idempotency-key": "phone-like-id" };
    const res = await raw(s, body, headers);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("invalid_input");
    expect(double.requests.length).toBe(calls);
    expect(await eventsOf(s.tenantId, "proxy.send_sms")).toHaveLength(0);
    // Nothing was claimed: the same Idempotency-Key works with a proper request id.
    const ok = await raw(s, body, { ...headers, "x-client-request-id": "order-4155550188" });
    expect(ok.status).toBe(200);
    expect(double.requests.length).toBe(calls + 1);
    expect(await eventsOf(s.tenantId, "proxy.send_sms")).toHaveLength(1);
  });

  it("commits the honest calls of a group-commit batch when one item is refused", async () => {
    const s = await setup();
    const by = { tenantId: s.tenantId, actor: SYSTEM_ACTOR, meta: NO_REQUEST };
    const honest = (n: number) =>
      appendAudit(by, { action: "proxy.send_sms", outcome: "succeeded", details: { n } });
    // Queued together: the poisoned item (a phone number in details) lands in the same batch.
    const results = await Promise.allSettled([
      honest(1),
      appendAudit(by, {
        action: "proxy.send_sms",
        outcome: "succeeded",
        details: { note: "+14155550123" },
      }),
      honest(2),
      honest(3),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect(await eventsOf(s.tenantId, "proxy.send_sms")).toHaveLength(3);
    expect(await verifyChain(s.tenantId)).toMatchObject({ ok: true });
  });
});

describe("integrations API", () => {
  const call = (
    handler: (
      r: NextRequest,
      route: { params: Promise<{ integrationId: string }> },
    ) => Promise<Response>,
    s: Setup,
    method: string,
    body: unknown,
    id = "",
  ) =>
    handler(
      new NextRequest(`http://localhost/api/v2/integrations/${id}`, {
        method,
        headers: { "x-api-key": s.key, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
      // The collection route has no path parameter (an empty id would be a 404 there).
      { params: Promise.resolve(id ? { integrationId: id } : {}) } as never,
    );

  it("validates system type and operations, audits diffs, and protects credentials in use", async () => {
    const s = await setup();
    const base = { name: "x", credential_id: s.cred.id };
    const wrongType = await call(createIntegrationRoute as never, s, "POST", {
      ...base,
      system_type: "salesforce",
    });
    expect(wrongType.status).toBe(400);
    expect(JSON.stringify(await wrongType.json())).toContain("twilio");
    const wrongOp = await call(createIntegrationRoute as never, s, "POST", {
      ...base,
      system_type: "twilio",
      allowed_operations: ["send_sms", "hack_planet"],
    });
    expect(wrongOp.status).toBe(400);
    expect(JSON.stringify(await wrongOp.json())).toContain("Supported: send_sms");
    const created = await call(createIntegrationRoute as never, s, "POST", {
      ...base,
      system_type: "twilio",
    });
    expect(created.status).toBe(201);
    const { integration } = (await created.json()) as {
      integration: { id: string; allowed_operations: string[] };
    };
    expect(integration.allowed_operations).toEqual([]);

    const patched = await call(
      patchIntegrationRoute,
      s,
      "PATCH",
      { allowed_operations: ["send_sms", "make_call"], allowed_countries: ["us", "CA"] },
      integration.id,
    );
    expect(patched.status).toBe(200);
    const [event] = (await eventsOf(s.tenantId, "integration.updated")).filter(
      (e) => e.integrationId === integration.id,
    );
    expect(event?.details).toEqual({
      diff: {
        allowed_operations: { from: [], to: ["send_sms", "make_call"] },
        allowed_countries: { from: [], to: ["CA", "US"] },
      },
    });

    const del = await deleteCredentialRoute(
      new NextRequest("http://localhost/x", { method: "DELETE", headers: { "x-api-key": s.key } }),
      { params: Promise.resolve({ credentialId: s.cred.id }) },
    );
    expect(del.status).toBe(409);
    expect(((await del.json()) as { code: string }).code).toBe("credential_in_use");
  });
});
