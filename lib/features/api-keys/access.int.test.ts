import { and, eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { stampFor, stampPeerAddresses, PEER_HEADER } from "@/lib/platform/http/client-address";
import { auditEventsResponse } from "@/lib/features/audit/http";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { authenticateApiKey } from "@/lib/platform/keys/api-keys";
import { createApiKey, rollApiKey, updateApiKeyAccess } from "./service";

// Access controls on API keys: allowed networks, rolling to a new secret with a grace period,
// Authorization: Bearer, the key's own request rate (with RateLimit headers), audited refusals.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

beforeAll(() => stampPeerAddresses());

async function owner() {
  const t = await createTestTenant();
  const u = await createTestUser("keyadmin");
  await addMember(t.id, u.id, "owner");
  session.user = testSession(u, "ses_x");
  return resolveTenant(t.id, "keys:write");
}

const route = withApiKey("audit:read", (request, ctx) =>
  auditEventsResponse(ctx.tenantId, request.nextUrl),
);
/** A request as the server sees it from `from` (its TCP peer), with `headers`. */
const call = (headers: Record<string, string>, from = "192.0.2.10") =>
  route(
    new NextRequest("http://localhost/api/v2/audit/events?limit=1", {
      headers: { ...headers, [PEER_HEADER]: stampFor(from) },
    }),
  );
const codeOf = async (response: Response) => ((await response.json()) as { code?: string }).code;

const eventsOf = (tenantId: string, action: string) =>
  getDb()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, action)));

describe("API key allowed networks", () => {
  it("refuses a key used from outside its networks with 403 ip_not_allowed, audited with the address", async () => {
    const ctx = await owner();
    const key = await createApiKey(ctx, {
      name: "office only",
      environment: "live",
      scopes: ["audit:read"],
      allowedNetworks: ["203.0.113.0/24", "2001:db8::/32"],
    });
    expect((await call({ "x-api-key": key.key }, "203.0.113.9")).status).toBe(200);
    expect((await call({ "x-api-key": key.key }, "2001:db8::7")).status).toBe(200);
    const outside = await call({ "x-api-key": key.key }, "198.51.100.1");
    expect(outside.status).toBe(403);
    expect(await codeOf(outside)).toBe("ip_not_allowed");
    // A forwarded header from an untrusted peer changes nothing.
    const spoofed = await call(
      { "x-api-key": key.key, "x-forwarded-for": "203.0.113.9" },
      "198.51.100.1",
    );
    expect(spoofed.status).toBe(403);
    const [event] = await eventsOf(ctx.tenantId, "api_key.address_refused");
    expect(event).toMatchObject({ outcome: "denied", ip: "198.51.100.1", targetId: key.id });
  });

  it("applies a change of networks to the next request", async () => {
    const ctx = await owner();
    const key = await createApiKey(ctx, { name: "k", environment: "live", scopes: ["audit:read"] });
    expect((await call({ "x-api-key": key.key }, "198.51.100.1")).status).toBe(200);
    await updateApiKeyAccess(ctx, { keyId: key.id, allowedNetworks: ["203.0.113.0/24"] });
    expect((await call({ "x-api-key": key.key }, "198.51.100.1")).status).toBe(403);
    expect((await eventsOf(ctx.tenantId, "api_key.updated")).length).toBe(1);
  });
});

describe("API key roll", () => {
  it("keeps the old secret working during the grace period only, and the key's id and prefix", async () => {
    const ctx = await owner();
    const old = await createApiKey(ctx, { name: "k", environment: "live", scopes: ["audit:read"] });
    const rolled = await rollApiKey(ctx, { keyId: old.id, graceHours: 24 });
    expect(rolled.id).toBe(old.id);
    expect(rolled.prefix).toBe(old.prefix);
    expect(rolled.key).not.toBe(old.key);
    expect((await call({ "x-api-key": rolled.key })).status).toBe(200);
    expect((await call({ "x-api-key": old.key })).status).toBe(200);
    // The grace period ends.
    await getDb().execute(
      sql`update api_keys set previous_valid_until = now() - interval '1 second' where id = ${old.id}`,
    );
    expect((await call({ "x-api-key": old.key })).status).toBe(401);
    expect((await call({ "x-api-key": rolled.key })).status).toBe(200);
    const [event] = await eventsOf(ctx.tenantId, "api_key.rolled");
    expect(JSON.stringify(event)).not.toContain(rolled.key.slice(16));
  });

  it("ends the old secret at once with no grace period", async () => {
    const ctx = await owner();
    const old = await createApiKey(ctx, { name: "k", environment: "test", scopes: ["audit:read"] });
    const rolled = await rollApiKey(ctx, { keyId: old.id, graceHours: 0 });
    expect(rolled.key.startsWith("qs_test_")).toBe(true);
    expect((await call({ "x-api-key": old.key })).status).toBe(401);
    expect((await call({ "x-api-key": rolled.key })).status).toBe(200);
  });
});

describe("API key roll on the proxy's cached rows", () => {
  it("refuses a rolled-out secret even when the cached row still holds it and last_used_at is due", async () => {
    const ctx = await owner();
    const old = await createApiKey(ctx, { name: "k", environment: "live", scopes: ["proxy"] });
    const t0 = new Date();
    expect(await authenticateApiKey(old.key, t0, { cached: true })).not.toBeNull();
    // The secret leaked: rolled with no grace. A minute later (last_used_at due for an update,
    // which reads the rolled row back) the leaked secret is presented against the cached row.
    const rolled = await rollApiKey(ctx, { keyId: old.id, graceHours: 0 });
    const later = new Date(t0.getTime() + 61_000);
    expect(await authenticateApiKey(old.key, later, { cached: true })).toBeNull();
    expect(await authenticateApiKey(rolled.key, later, { cached: true })).not.toBeNull();
  });

  it("accepts the new secret at once though the cached row holds the old one", async () => {
    const ctx = await owner();
    const old = await createApiKey(ctx, { name: "k", environment: "live", scopes: ["proxy"] });
    expect(await authenticateApiKey(old.key, new Date(), { cached: true })).not.toBeNull();
    const rolled = await rollApiKey(ctx, { keyId: old.id, graceHours: 1 });
    const key = await authenticateApiKey(rolled.key, new Date(), { cached: true });
    expect(key?.secretUsed).toBe("current");
    expect((await authenticateApiKey(old.key, new Date(), { cached: true }))?.secretUsed).toBe(
      "previous",
    );
  });

  it("refuses to roll an expired key without a new expiry", async () => {
    const ctx = await owner();
    const old = await createApiKey(ctx, { name: "k", environment: "live", scopes: ["proxy"] });
    await getDb().execute(
      sql`update api_keys set expires_at = now() - interval '1 day' where id = ${old.id}`,
    );
    await expect(rollApiKey(ctx, { keyId: old.id, graceHours: 0 })).rejects.toMatchObject({
      code: "invalid_input",
    });
    const renewed = await rollApiKey(ctx, { keyId: old.id, graceHours: 0, expiresInDays: 30 });
    expect(await authenticateApiKey(renewed.key)).not.toBeNull();
  });
});

describe("Authorization: Bearer", () => {
  it("is accepted like X-API-Key; two different keys in one request are refused", async () => {
    const ctx = await owner();
    const a = await createApiKey(ctx, { name: "a", environment: "live", scopes: ["audit:read"] });
    const b = await createApiKey(ctx, { name: "b", environment: "live", scopes: ["audit:read"] });
    expect((await call({ authorization: `Bearer ${a.key}` })).status).toBe(200);
    expect((await call({ authorization: `Bearer ${a.key}`, "x-api-key": a.key })).status).toBe(200);
    const both = await call({ authorization: `Bearer ${a.key}`, "x-api-key": b.key });
    expect(both.status).toBe(401);
    expect(both.headers.get("www-authenticate")).toContain("Bearer");
  });
});

describe("the key's own request rate", () => {
  it("answers RateLimit headers, then 429 with Retry-After, audited and summarised", async () => {
    const ctx = await owner();
    const key = await createApiKey(ctx, {
      name: "slow",
      environment: "live",
      scopes: ["audit:read"],
      ratePerSecond: 1,
      burst: 2,
    });
    const first = await call({ "x-api-key": key.key });
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit-policy")).toBe('"key";q=2;w=2');
    expect(first.headers.get("ratelimit")).toMatch(/^"key";r=1;t=\d+$/);
    expect((await call({ "x-api-key": key.key })).status).toBe(200);
    const refused = await call({ "x-api-key": key.key });
    expect(refused.status).toBe(429);
    expect(await codeOf(refused)).toBe("rate_limited_api_key");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("ratelimit")).toMatch(/^"key";r=0;t=\d+$/);
    // 40 more at once (a token may refill meanwhile): 20 refusals recorded one by one, the
    // rest counted and summarised on the next recorded one.
    const statuses = await Promise.all(
      Array.from({ length: 40 }, async () => (await call({ "x-api-key": key.key })).status),
    );
    const refusals = 1 + statuses.filter((s) => s === 429).length;
    expect(refusals).toBeGreaterThanOrEqual(35);
    const events = await eventsOf(ctx.tenantId, "api_key.rate_limited");
    expect(events.length).toBeGreaterThanOrEqual(20);
    expect(events.length).toBeLessThan(refusals);
    expect(events.every((e) => e.outcome === "denied")).toBe(true);
  });
});
