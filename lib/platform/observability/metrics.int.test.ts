import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { GET as integrationRoute } from "@/app/api/v2/integrations/[integrationId]/route";
import { POST as webhookRoute } from "@/app/api/v2/webhooks/twilio/[integrationId]/[kind]/route";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import type * as EnvModule from "@/lib/platform/config/env";
import { resetBreakers } from "@/lib/features/proxy/breaker";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { ACCOUNT, KEY_SECRET, KEY_SID, proxySetup, TOKEN } from "@/test/proxy-setup";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
// METRICS_TOKEN as each test sets it (the rest of the configuration is the test project's).
const config = vi.hoisted(() => ({ metricsToken: undefined as string | undefined }));
vi.mock("@/lib/platform/config/env", async (importOriginal) => {
  const real = await importOriginal<typeof EnvModule>();
  return { ...real, env: () => ({ ...real.env(), METRICS_TOKEN: config.metricsToken }) };
});

const METRICS_TOKEN = "metrics-test-token-0123456789abcdef";
const TO = "+14155550177";

let double: TwilioDouble;
beforeAll(async () => {
  double = await startTwilioDouble({
    port: Number(process.env.TWILIO_DOUBLE_PORT),
    accounts: [{ sid: ACCOUNT, authToken: TOKEN, apiKeys: [{ sid: KEY_SID, secret: KEY_SECRET }] }],
  });
});
afterAll(() => double.close());
beforeEach(() => {
  resetBreakers();
  config.metricsToken = METRICS_TOKEN;
});

const scrape = (authorization?: string) =>
  metricsRoute(
    new Request("http://localhost/api/metrics", {
      headers: authorization ? { authorization } : {},
    }),
  );

async function exposition(): Promise<string> {
  const res = await scrape(`Bearer ${METRICS_TOKEN}`);
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of the sample `name{labels}` (0 when absent: a counter not yet incremented). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = new Map<string, string>();
    for (const m of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      found.set(m[1] ?? "", m[2] ?? "");
    }
    if (Object.entries(labels).every(([k, v]) => found.get(k) === v)) return Number(match[3]);
  }
  return 0;
}

describe("GET /api/metrics", () => {
  it("is off (404) without METRICS_TOKEN, and needs the token when on", async () => {
    config.metricsToken = undefined;
    expect((await scrape(`Bearer ${METRICS_TOKEN}`)).status).toBe(404);
    expect((await scrape()).status).toBe(404);

    config.metricsToken = METRICS_TOKEN;
    for (const authorization of [
      undefined,
      "Bearer wrong-token",
      `Bearer ${METRICS_TOKEN}x`,
      `Basic ${METRICS_TOKEN}`,
      METRICS_TOKEN,
    ]) {
      const res = await scrape(authorization);
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await res.text()).toBe("");
    }
    const res = await scrape(`bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("counts and times a proxied request and a refused one; the gauges are there", async () => {
    const s = await proxySetup((user) => (session.user = user), { sends_per_destination: 1 });
    const before = await exposition();

    const send = () =>
      s.client.proxy.outbound({
        integration_id: s.integration.id,
        operation: "send_sms",
        payload: { to: TO, body: "metrics" },
      });
    expect((await send()).success).toBe(true);
    await expect(send()).rejects.toMatchObject({ status: 429, code: "rate_limited_destination" });
    const lookup = await integrationRoute(
      new NextRequest(`http://localhost/api/v2/integrations/${s.integration.id}`, {
        headers: { "x-api-key": s.key },
      }),
      { params: Promise.resolve({ integrationId: s.integration.id }) },
    );
    expect(lookup.status).toBe(200);
    const webhook = await webhookRoute(
      new NextRequest(`http://localhost/api/v2/webhooks/twilio/${s.integration.id}/bogus`, {
        method: "POST",
      }),
      { params: Promise.resolve({ integrationId: s.integration.id, kind: "bogus" }) },
    );
    expect(webhook.status).toBe(404);

    const after = await exposition();
    const moved = (name: string, labels: Record<string, string> = {}) =>
      sample(after, name, labels) - sample(before, name, labels);
    const outbound = { route: "/api/v2/proxy/outbound", method: "POST" };

    expect(moved("pqseal_http_requests_total", { ...outbound, status: "200" })).toBe(1);
    expect(moved("pqseal_http_requests_total", { ...outbound, status: "429" })).toBe(1);
    expect(moved("pqseal_http_request_duration_seconds_count", outbound)).toBe(2);
    expect(moved("pqseal_http_request_duration_seconds_sum", outbound)).toBeGreaterThan(0);
    expect(moved("pqseal_http_request_duration_seconds_bucket", { ...outbound, le: "+Inf" })).toBe(
      2,
    );
    // Path ids become the route's template: one series per route, not per integration.
    expect(
      moved("pqseal_http_requests_total", {
        route: "/api/v2/integrations/[integrationId]",
        method: "GET",
        status: "200",
      }),
    ).toBe(1);
    expect(
      moved("pqseal_http_requests_total", {
        route: "/api/v2/webhooks/twilio/[integrationId]/[kind]",
        method: "POST",
        status: "404",
      }),
    ).toBe(1);
    expect(moved("pqseal_webhook_intake_total", { kind: "unknown", outcome: "unknown_kind" })).toBe(
      1,
    );
    expect(
      moved("pqseal_proxy_requests_total", { operation: "send_sms", outcome: "succeeded" }),
    ).toBe(1);
    expect(
      moved("pqseal_proxy_requests_total", { operation: "send_sms", outcome: "refused" }),
    ).toBe(1);
    expect(
      moved("pqseal_proxy_request_duration_seconds_count", {
        operation: "send_sms",
        outcome: "succeeded",
      }),
    ).toBe(1);
    expect(
      moved("pqseal_twilio_requests_total", { operation: "send_sms", result: "ok", code: "ok" }),
    ).toBe(1);
    expect(moved("pqseal_twilio_request_duration_seconds_count", { operation: "send_sms" })).toBe(
      1,
    );
    expect(moved("pqseal_limit_refusals_total", { code: "rate_limited_destination" })).toBe(1);
    // The client key is loaded for the first request and cached for the second.
    const clientKeys = { cache: "client_public_keys" };
    expect(moved("pqseal_cache_lookups_total", { ...clientKeys, result: "miss" })).toBe(1);
    expect(moved("pqseal_cache_lookups_total", { ...clientKeys, result: "hit" })).toBe(1);

    for (const gauge of [
      "pqseal_webhook_queue_depth",
      "pqseal_webhook_dead_letters",
      "pqseal_circuit_breakers_open",
      "pqseal_audit_unsigned_events",
      "pqseal_audit_checkpoint_lag_seconds",
      "pqseal_audit_spooled_events",
      "pqseal_audit_spool_unreadable",
    ]) {
      expect(after, gauge).toMatch(new RegExp(`^# TYPE ${gauge} gauge$`, "m"));
      expect(after, gauge).toMatch(new RegExp(`^${gauge} \\d+(\\.\\d+)?(e[+-]?\\d+)?$`, "m"));
    }
    // This tenant's events since its (absent) checkpoint are among the unsigned ones.
    expect(sample(after, "pqseal_audit_unsigned_events")).toBeGreaterThan(0);
    expect(sample(after, "pqseal_circuit_breakers_open")).toBe(0);
    // Default process metrics, under their usual names.
    expect(after).toMatch(/^process_cpu_user_seconds_total /m);
    expect(after).toMatch(/^nodejs_heap_size_used_bytes /m);
    // Low-cardinality labels only: no tenant, integration, key or number anywhere.
    for (const secret of [s.tenantId, s.integration.id, s.key, TO.slice(1), ACCOUNT]) {
      expect(after).not.toContain(secret);
    }
  });
});
